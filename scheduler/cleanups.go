package scheduler

import (
	"context"
	"fmt"
	"time"

	"github.com/upgradebot/upgradebot"
)

// cleanupsJob creates each recurring clean-up's occurrences on their day
// (by the day of at), whether or not the last one was done: the overdue
// one stays open and is counted. The store's one-occurrence-per-day rule
// and its reading of the latest occurrence make a second run create
// nothing. Assignees are told on working days; on other days the
// occurrence is created quietly.
func cleanupsJob(desk upgradebot.Desk, cfg Config) RunFunc {
	return func(ctx context.Context, at time.Time) ([]upgradebot.Message, error) {
		cal, err := Calendar(ctx, desk, cfg)
		if err != nil {
			return nil, fmt.Errorf("scheduler: clean-ups: %w", err)
		}
		today := cal.Today(at)
		if _, err := desk.CreateDueOccurrences(ctx, today, cal.IsWorkingDay(today)); err != nil {
			return nil, fmt.Errorf("scheduler: clean-ups: %w", err)
		}
		return nil, nil
	}
}
