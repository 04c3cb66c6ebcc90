package upgradebot

import (
	"context"
	"time"
)

// Mute stops a person's overdue nudges until a day (inclusive), or until
// they are unmuted when Until is zero.
type Mute struct {
	User  string `json:"user"`
	Until Date   `json:"until"`

	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// Covers reports whether the mute is in effect on day d.
func (m Mute) Covers(d Date) bool { return m.Until.IsZero() || !d.After(m.Until) }

// FollowUpService keeps what the scheduled jobs need besides the digest:
// the team's holidays, people's mutes, and the state that makes each
// reminder, nudge, escalation step and clean-up occurrence happen once.
//
// The Send, Escalate and Create methods decide and write in one
// transaction: they read the state, work out (with this package's pure
// functions) what is due, record it and queue its messages together. So a
// job that runs twice, is caught up, or runs in two processes at once
// sends nothing twice; the job's own run record only says that it ran.
type FollowUpService interface {
	// Holidays returns the team's holidays, sorted.
	Holidays(ctx context.Context) ([]Date, error)
	// SetHolidays replaces the holiday list (sorted, duplicates dropped).
	// Admins only (EFORBIDDEN); EINVALID for more than MaxHolidays.
	SetHolidays(ctx context.Context, actor string, days []Date) error

	// SetMute stops user's nudges until until (zero: until ClearMute),
	// replacing any mute they had: anyone for themselves, admins for
	// others (EFORBIDDEN). EINVALID if until is before today.
	SetMute(ctx context.Context, actor, user string, until Date) (*Mute, error)
	// ClearMute ends user's mute and reports whether there was one;
	// anyone for themselves, admins for others (EFORBIDDEN).
	ClearMute(ctx context.Context, actor, user string) (bool, error)
	// Muted returns the mutes in effect on day, by user.
	Muted(ctx context.Context, day Date) ([]Mute, error)

	// SendReleaseReminders posts, in one message to channel, the vendor
	// release reminders due on today (see DueReleaseReminders) that were
	// never sent, and records them as sent. It returns what it sent.
	SendReleaseReminders(ctx context.Context, today Date, leads []int, channel string) ([]ReleaseReminder, error)
	// SendNudges nudges the assignees of open tasks overdue on today (see
	// PlanNudges), one DM per person and one channel post for those
	// nudged more than p.ChannelAfter times, and records each nudge.
	SendNudges(ctx context.Context, today Date, cal WorkingTime, p NudgePolicy, channel string) ([]Nudge, error)
	// EscalateDecisions moves each pending decision one step up the
	// escalation ladder when it is due at now (see EscalationDue), queuing
	// that step's messages (see EscalationMessages) and recording its
	// level, so that each step happens once.
	EscalateDecisions(ctx context.Context, now time.Time, cal WorkingTime, p EscalationPolicy, channel string) ([]Escalation, error)
	// CreateDueOccurrences creates, for each active recurring clean-up not
	// paused, every occurrence after its latest one whose day is on or before
	// today (see DueOccurrences), audited as SystemActor, whether or not
	// the earlier ones were done. With notify, each assignee is told in
	// one DM. It returns the tasks created.
	CreateDueOccurrences(ctx context.Context, today Date, notify bool) ([]*Task, error)
}
