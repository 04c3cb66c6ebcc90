package scheduler

import (
	"context"
	"time"

	"github.com/upgradebot/upgradebot"
)

// escalationJob escalates pending decisions that wait too long, one step
// per decision and run: first the request is sent again to whoever decides
// (past its due date, or the stored escalation.remind working days without
// one), then, escalation.escalate working days later, it goes to the
// delegate if the owner is away, else to the admins, and the requester is
// told. It runs on holidays too (a decision does not wait for one);
// thresholds count working days.
func escalationJob(ctx context.Context, desk upgradebot.Desk, t team, at time.Time) ([]upgradebot.Message, error) {
	p := upgradebot.EscalationPolicy{After: t.config.EscalateRemind, Then: t.config.EscalateThen}
	if _, err := desk.EscalateDecisions(ctx, at, t.cal, p, t.channel); err != nil {
		return nil, err
	}
	return nil, nil // queued by the desk with each step's level
}
