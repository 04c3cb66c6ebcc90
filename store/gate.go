package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/upgradebot/upgradebot"
)

// RequestGate asks the decision owner (or the delegate while the owner is
// away) to approve closing a release's phase on day, and queues the request
// DM with its buttons, audited as decision.request. The phase is checked
// first, as RecordPhase would: ENOTFOUND for an unknown release, EINVALID
// for a phase not in the team's plan or a day before its start, ECONFLICT if it has not
// started or is done, if a gate for it is already pending, or if no owner
// is set.
func (db *DB) RequestGate(ctx context.Context, actor, key string, phase upgradebot.Phase, day upgradebot.Date) (*upgradebot.Decision, upgradebot.Routing, error) {
	var d *upgradebot.Decision
	var r upgradebot.Routing
	err := db.write(ctx, "request gate", func(tx *writeTx) (err error) {
		if err := requireMember(ctx, tx, actor, "record or change releases"); err != nil {
			return err
		}
		d, r, err = requestGate(ctx, tx, actor, key, phase, day)
		return err
	})
	if err != nil {
		return nil, upgradebot.Routing{}, err
	}
	return d, r, nil
}

func requestGate(ctx context.Context, tx *writeTx, actor, key string, phase upgradebot.Phase, day upgradebot.Date) (*upgradebot.Decision, upgradebot.Routing, error) {
	if err := requireActor(actor); err != nil {
		return nil, upgradebot.Routing{}, err
	}
	plan, err := phasePlan(ctx, tx)
	if err != nil {
		return nil, upgradebot.Routing{}, err
	}
	if phase, err = plan.Parse(string(phase)); err != nil {
		return nil, upgradebot.Routing{}, err
	}
	if day.IsZero() {
		return nil, upgradebot.Routing{}, upgradebot.Errorf(upgradebot.EINVALID, "a phase gate needs the day the phase was done")
	}
	rs, err := findReleases(ctx, tx, upgradebot.ReleaseFilter{Key: key})
	if err != nil {
		return nil, upgradebot.Routing{}, fmt.Errorf("find release %s: %w", key, err)
	}
	if len(rs) == 0 {
		return nil, upgradebot.Routing{}, upgradebot.Errorf(upgradebot.ENOTFOUND, "There is no release %s; `/upgrade releases all` lists them.", upgradebot.Escape(key))
	}
	rel := rs[0]

	// Ask only for what approving could record.
	p, err := findPhase(ctx, tx, rel.ID, phase)
	if err != nil {
		return nil, upgradebot.Routing{}, err
	}
	if p == nil {
		p = &upgradebot.ReleasePhase{ReleaseID: rel.ID, Release: rel.Key, Phase: phase}
	}
	if err := p.Record(plan, upgradebot.PhaseDone, day); err != nil {
		return nil, upgradebot.Routing{}, err
	}

	var id int64
	var to string
	err = tx.QueryRowContext(ctx, `SELECT id, routed_to FROM decisions
		WHERE release_id = ? AND phase = ? AND status = 'pending' ORDER BY id LIMIT 1`, rel.ID, string(phase)).Scan(&id, &to)
	if err == nil {
		return nil, upgradebot.Routing{}, upgradebot.Errorf(upgradebot.ECONFLICT,
			"Closing the %s phase of `%s` already waits on %s: decision #%d.", phase, rel.Key, upgradebot.Mention(to), id)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return nil, upgradebot.Routing{}, fmt.Errorf("find pending gate: %w", err)
	}

	var open int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM tasks WHERE release_id = ? AND phase = ? AND status = 'open'`,
		rel.ID, string(phase)).Scan(&open); err != nil {
		return nil, upgradebot.Routing{}, fmt.Errorf("count open %s tasks: %w", phase, err)
	}
	d := upgradebot.NewGate(plan, rel, phase, day, open)
	r, err := createDecision(ctx, tx, actor, d)
	if err != nil {
		return nil, upgradebot.Routing{}, err
	}
	return d, r, nil
}

// mayClosePhase refuses to record a phase done for anyone but who decides
// today: closing a phase is a gate only they pass.
func mayClosePhase(ctx context.Context, tx *writeTx, actor, key string, phase upgradebot.Phase) error {
	_, r, err := routing(ctx, tx)
	if err != nil {
		return err
	}
	if !r.MayDecide(actor) {
		return upgradebot.Errorf(upgradebot.EFORBIDDEN,
			"Only the decision owner %s (or their delegate while they are away) closes phases: `/upgrade release %s phase %s done` sends the gate to them for approval.",
			upgradebot.Mention(r.Owner), key, phase)
	}
	return nil
}

// mayStartPhase keeps the cycle's order: a phase cannot start while the
// gate of an earlier phase of the release waits (ECONFLICT, naming the gate
// and who decides), except by whoever decides today, whose start is an
// override: the gate is returned so that it is audited and said.
func mayStartPhase(ctx context.Context, tx *writeTx, actor, key string, releaseID int64, plan upgradebot.PhasePlan, phase upgradebot.Phase, ev upgradebot.PhaseEvent) (*upgradebot.Decision, error) {
	if ev != upgradebot.PhaseStart {
		return nil, nil
	}
	gates, err := queryAll(ctx, tx, scanDecisionOnly, `SELECT `+decisionColumns+` FROM decisions WHERE release_id = ? AND status = 'pending' ORDER BY id`, releaseID)
	if err != nil {
		return nil, fmt.Errorf("find pending gates: %w", err)
	}
	for _, g := range gates {
		if plan.Index(g.Phase) < 0 || plan.Index(g.Phase) >= plan.Index(phase) {
			continue
		}
		_, r, err := routing(ctx, tx)
		if err != nil {
			return nil, err
		}
		if r.MayDecide(actor) {
			return g, nil
		}
		return nil, upgradebot.Errorf(upgradebot.ECONFLICT,
			"The %s phase of %s cannot start yet: the gate closing %s (decision D%d) still waits on %s. They can approve it (`/upgrade approve D%d`) or start %s anyway.",
			phase, upgradebot.Escape(key), g.Phase, g.ID, upgradebot.Mention(r.To), g.ID, phase)
	}
	return nil, nil
}

// settleGates approves, as actor, the gates still pending for a phase the
// decider has just recorded done themselves, so that the requester is told
// and nobody is reminded of a question already answered. Only who may
// decide can record a phase done, so actor may approve them.
func settleGates(ctx context.Context, tx *writeTx, actor string, releaseID int64, phase upgradebot.Phase, day upgradebot.Date) error {
	ids, err := queryAll(ctx, tx, func(r scanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	}, `SELECT id FROM decisions WHERE release_id = ? AND phase = ? AND status = 'pending' ORDER BY id`, releaseID, string(phase))
	if err != nil {
		return fmt.Errorf("find pending gates: %w", err)
	}
	for _, id := range ids {
		if _, err := decide(ctx, tx, actor, id, upgradebot.DecisionApproved, "Closed directly on "+day.Human()+"."); err != nil {
			return fmt.Errorf("settle gate #%d: %w", id, err)
		}
	}
	return nil
}

// closeGate records an approved gate's phase done on its day, as the
// approver, unless it was done meanwhile, and returns the line the outcome
// messages add: for a rejected gate, that the phase stays open (or was
// done meanwhile).
func closeGate(ctx context.Context, tx *writeTx, actor string, d *upgradebot.Decision) (string, error) {
	p, err := findPhase(ctx, tx, d.ReleaseID, d.Phase)
	if err != nil {
		return "", err
	}
	if p != nil && !p.End.IsZero() {
		return upgradebot.GateOutcome(d, p.End, true), nil
	}
	if d.Status != upgradebot.DecisionApproved {
		return upgradebot.GateOutcome(d, upgradebot.Date{}, false), nil
	}
	if p, err = recordPhase(ctx, tx, actor, d.Release, d.Phase, upgradebot.PhaseDone, d.GateDay); err != nil {
		return "", fmt.Errorf("close gate #%d: %w", d.ID, err)
	}
	return upgradebot.GateOutcome(d, p.End, false), nil
}

// findPhase returns a release's phase, or nil if nothing is recorded yet.
func findPhase(ctx context.Context, tx *writeTx, releaseID int64, phase upgradebot.Phase) (*upgradebot.ReleasePhase, error) {
	p, err := scanPhase(tx.QueryRowContext(ctx, phaseSelect+` WHERE p.release_id = ? AND p.phase = ?`, releaseID, string(phase)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("find phase: %w", err)
	}
	return p, nil
}

// nullText is s, or NULL for "".
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}
