package scheduler

import (
	"context"
	"fmt"
	"time"

	"github.com/upgradebot/upgradebot"
)

// remindersJob posts the vendor release reminders due on the day of at, in
// one message, on working days only. A reminder is due once its date is no
// more than its lead time away and it was never sent, so the reminders of
// a holiday or of a run missed while the bot was down go out with the next
// working day's run, folded into one line per release date. The desk
// records each reminder with the post, so none is sent twice.
func remindersJob(desk upgradebot.Desk, cfg Config) RunFunc {
	return func(ctx context.Context, at time.Time) ([]upgradebot.Message, error) {
		leads := cfg.ReminderLeads
		if len(leads) == 0 {
			sc, err := stored(ctx, desk)
			if err != nil {
				return nil, fmt.Errorf("scheduler: release reminders: %w", err)
			}
			leads = sc.Leads
		}
		if len(leads) == 0 {
			leads = upgradebot.DefaultReminderLeads
		}
		cal, err := Calendar(ctx, desk, cfg)
		if err != nil {
			return nil, fmt.Errorf("scheduler: release reminders: %w", err)
		}
		today := cal.Today(at)
		if !cal.IsWorkingDay(today) {
			return nil, nil
		}
		ch, err := channel(ctx, desk, cfg)
		if err != nil {
			return nil, fmt.Errorf("scheduler: release reminders: %w", err)
		}
		if ch == "" {
			return nil, nil // nowhere to post; nothing is marked sent
		}
		if _, err := desk.SendReleaseReminders(ctx, today, leads, ch); err != nil {
			return nil, fmt.Errorf("scheduler: release reminders: %w", err)
		}
		return nil, nil // queued by the desk with the record of what was sent
	}
}
