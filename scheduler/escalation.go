package scheduler

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/upgradebot/upgradebot"
)

// escalationJob escalates pending decisions that wait too long, one step
// per decision and run: first the request is sent again to whoever decides
// (past its due date, or EscalateAfter working days without one), then,
// EscalateThen working days later, it goes to the delegate if the owner is
// away, else to the admins, and the requester is told. It runs on holidays
// too (a decision does not wait for one); thresholds count working days.
func escalationJob(desk upgradebot.Desk, cfg Config) RunFunc {
	return func(ctx context.Context, at time.Time) ([]upgradebot.Message, error) {
		cal, err := Calendar(ctx, desk, cfg)
		if err != nil {
			return nil, fmt.Errorf("scheduler: escalation: %w", err)
		}
		ch, err := channel(ctx, desk, cfg)
		if err != nil {
			return nil, fmt.Errorf("scheduler: escalation: %w", err)
		}
		sc, err := stored(ctx, desk)
		if err != nil {
			return nil, fmt.Errorf("scheduler: escalation: %w", err)
		}
		p := upgradebot.EscalationPolicy{After: cmp.Or(cfg.EscalateAfter, sc.EscalateRemind), Then: cmp.Or(cfg.EscalateThen, sc.EscalateThen)}
		if _, err := desk.EscalateDecisions(ctx, at, cal, p, ch); err != nil {
			return nil, fmt.Errorf("scheduler: escalation: %w", err)
		}
		return nil, nil // queued by the desk with each step's level
	}
}
