package scheduler

import (
	"context"
	"time"

	"github.com/upgradebot/upgradebot"
)

// remindersJob posts the vendor release reminders due on the day of at, in
// one message, on working days only, at the stored lead times (or
// upgradebot.DefaultReminderLeads). A reminder is due once its date is no
// more than its lead time away and it was never sent, so the reminders of
// a holiday or of a run missed while the bot was down go out with the next
// working day's run, folded into one line per release date. The desk
// records each reminder with the post, so none is sent twice.
func remindersJob(ctx context.Context, desk upgradebot.Desk, t team, at time.Time) ([]upgradebot.Message, error) {
	today := t.cal.Today(at)
	if !t.cal.IsWorkingDay(today) || t.channel == "" {
		return nil, nil // nothing is due, or nowhere to post; nothing is marked sent
	}
	leads := t.config.Leads
	if len(leads) == 0 {
		leads = upgradebot.DefaultReminderLeads
	}
	if _, err := desk.SendReleaseReminders(ctx, today, leads, t.channel); err != nil {
		return nil, err
	}
	return nil, nil // queued by the desk with the record of what was sent
}
