package scheduler

import (
	"context"
	"time"

	"github.com/upgradebot/upgradebot"
)

// cleanupsJob creates each recurring clean-up's occurrences on their day
// (by the day of at), whether or not the last one was done: the overdue
// one stays open and is counted. The store's one-occurrence-per-day rule
// and its reading of the latest occurrence make a second run create
// nothing. Assignees are told on working days; on other days the
// occurrence is created quietly.
func cleanupsJob(ctx context.Context, desk upgradebot.Desk, t team, at time.Time) ([]upgradebot.Message, error) {
	today := t.cal.Today(at)
	if _, err := desk.CreateDueOccurrences(ctx, today, t.cal.IsWorkingDay(today)); err != nil {
		return nil, err
	}
	return nil, nil // queued by the desk with the occurrences
}
