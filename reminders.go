package upgradebot

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// DefaultReminderLeads are the default lead times, in days, of the vendor
// release reminders: before GA and before the end of support.
var DefaultReminderLeads = []int{30, 14, 7, 1}

// ReminderLimit is how many reminders one post lists before "…and N more".
const ReminderLimit = 25

// ReleaseDateKind names which date of a release a reminder is about.
type ReleaseDateKind string

// Release dates reminded of.
const (
	ReleaseGA         ReleaseDateKind = "ga"
	ReleaseSupportEnd ReleaseDateKind = "support"
)

// ReleaseReminder is one reminder that a release date is near.
type ReleaseReminder struct {
	Release  *Release
	What     ReleaseDateKind
	Date     Date
	DaysLeft int // from the day it is sent
	Lead     int // the tightest lead time it stands for
	// Keys are the reminders it stands for, one per lead time not sent
	// before (a run that missed the 14-day reminder and sends the 7-day
	// one sends one line for both); they are recorded as sent.
	Keys []string
}

// ReminderKey identifies the reminder for lead days before date of release
// r: it names the date, so a moved GA is reminded of again.
func ReminderKey(r *Release, what ReleaseDateKind, date Date, lead int) string {
	return fmt.Sprintf("release:%d:%s:%s:%d", r.ID, what, date, lead)
}

// ValidateLeads checks lead times: 1 to 20 of them, each 0 to 366 days.
func ValidateLeads(leads []int) error {
	if len(leads) == 0 || len(leads) > 20 {
		return Errorf(EINVALID, "give 1 to 20 lead times, not %d", len(leads))
	}
	for _, l := range leads {
		if l < 0 || l > 366 {
			return Errorf(EINVALID, "a lead time of %d days is not between 0 and 366", l)
		}
	}
	return nil
}

// DueReleaseReminders returns the reminders due on today: for each release
// date (GA, and the end of support when known) from today on, and each lead
// time L with the date at most L days away whose reminder was not sent, one
// reminder naming the tightest such L and standing for all of them. So a
// reminder is sent once, and one whose day was missed (a holiday, the bot
// down) is sent on the next run instead, folded into any tighter one.
// Reminders come soonest date first.
func DueReleaseReminders(releases []*Release, leads []int, today Date, sent func(key string) bool) []ReleaseReminder {
	leads = slices.Sorted(slices.Values(leads))
	leads = slices.Compact(leads)
	var out []ReleaseReminder
	for _, r := range releases {
		for _, what := range []ReleaseDateKind{ReleaseGA, ReleaseSupportEnd} {
			date := r.GA
			if what == ReleaseSupportEnd {
				date = r.Support
			}
			left := today.DaysUntil(date)
			if date.IsZero() || left < 0 {
				continue
			}
			rem := ReleaseReminder{Release: r, What: what, Date: date, DaysLeft: left, Lead: -1}
			for _, l := range leads {
				if left > l {
					continue
				}
				key := ReminderKey(r, what, date, l)
				if sent(key) {
					continue
				}
				if rem.Lead < 0 {
					rem.Lead = l
				}
				rem.Keys = append(rem.Keys, key)
			}
			if len(rem.Keys) > 0 {
				out = append(out, rem)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b ReleaseReminder) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.Release.ID, b.Release.ID), cmp.Compare(a.What, b.What))
	})
	return out
}

// ReleaseRemindersMessage folds reminders into one post to channel: a
// header, then one line each (at most ReminderLimit, then "…and N more").
func ReleaseRemindersMessage(rems []ReleaseReminder, channel string, today Date) Message {
	lines := []string{"*Vendor release reminders* · " + today.Human()}
	for i, r := range rems {
		if i == ReminderLimit {
			lines = append(lines, fmt.Sprintf("…and %d more: `/upgrade releases`", len(rems)-i))
			break
		}
		what := "GA"
		if r.What == ReleaseSupportEnd {
			what = "support ends"
		}
		when := fmt.Sprintf("in %d days", r.DaysLeft)
		switch r.DaysLeft {
		case 0:
			when = "today"
		case 1:
			when = "tomorrow"
		}
		lines = append(lines, fmt.Sprintf("• `%s` %s %s: %s %s, %s", r.Release.Key, Escape(r.Release.Vendor),
			Escape(r.Release.Name), what, when, r.Date.Human()))
	}
	return Message{Kind: MessagePost, To: channel, Text: strings.Join(lines, "\n")}
}
