package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/upgradebot/upgradebot"
)

// decisionColumns are read by scanDecision, from a query on decisions
// (unaliased: a gate's release key is looked up by decisions.release_id).
const decisionColumns = `id, question, requested_by, routed_to, on_behalf_of, due, status, decided_by, decided_at,
	comment, created_at, COALESCE(request_msg, 0), COALESCE(release_id, 0),
	COALESCE((SELECT key FROM releases WHERE releases.id = decisions.release_id), ''), COALESCE(phase, ''), gate_day`

// CreateDecision routes d to the decision owner, or to the delegate while
// the owner is away today, and queues the request DM. ECONFLICT if no owner
// is set.
func (db *DB) CreateDecision(ctx context.Context, actor string, d *upgradebot.Decision) (upgradebot.Routing, error) {
	r, err := writeValue(ctx, db, "create decision", func(tx *writeTx) (upgradebot.Routing, error) {
		if err := requireMember(ctx, tx, actor, "ask for decisions (a team member raises it with the decision owner)"); err != nil {
			return upgradebot.Routing{}, err
		}
		if err := checkPHI(ctx, tx, "decision", 0, upgradebot.PHIContext{}, upgradebot.PHIText{Field: "question", Text: d.Question}); err != nil {
			return upgradebot.Routing{}, err
		}
		return createDecision(ctx, tx, actor, d)
	})
	return r, db.refused(ctx, actor, err)
}

// FindDecisions returns matching decisions, newest first. A limit of 0
// means no limit.
func (db *DB) FindDecisions(ctx context.Context, f upgradebot.DecisionFilter) ([]*upgradebot.Decision, error) {
	var where []string
	var args []any
	if f.ID != 0 {
		where, args = append(where, `id = ?`), append(args, f.ID)
	}
	if f.Status != "" {
		where, args = append(where, `status = ?`), append(args, string(f.Status))
	}
	query := `SELECT ` + decisionColumns + ` FROM decisions`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	query += ` ORDER BY id DESC`
	if f.Limit > 0 {
		query += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	list, err := queryAll(ctx, db.db, scanDecisionOnly, query, args...)
	return list, wrap("find decisions", err)
}

// Decide approves or rejects a pending decision and queues the outcome:
// every card of it (the request, reminders, an escalation) edited in place,
// the requester told, a line in the channel.
// Approving a phase gate records its phase done in the same transaction.
func (db *DB) Decide(ctx context.Context, actor string, id int64, outcome upgradebot.DecisionStatus, comment string) (*upgradebot.Decision, error) {
	d, err := writeValue(ctx, db, "decide", func(tx *writeTx) (*upgradebot.Decision, error) {
		if partner, err := isPartner(ctx, tx, actor); err != nil {
			return nil, err
		} else if partner {
			s, err := tx.settings(ctx)
			if err != nil {
				return nil, err
			}
			return nil, upgradebot.PartnerRefusal("decide", s.OwnerDecides())
		}
		field := "comment"
		if outcome == upgradebot.DecisionRejected {
			field = "reason"
		}
		if err := checkPHI(ctx, tx, "decision", id, upgradebot.PHIContext{}, upgradebot.PHIText{Field: field, Text: comment}); err != nil {
			return nil, err
		}
		return decide(ctx, tx, actor, id, outcome, comment)
	})
	return d, db.refused(ctx, actor, err)
}

// routing works out who answers decisions today, inside tx.
func routing(ctx context.Context, tx *writeTx) (upgradebot.Settings, upgradebot.Routing, error) {
	s, err := tx.settings(ctx)
	if err != nil {
		return s, upgradebot.Routing{}, err
	}
	today := tx.today(s)
	away, err := findAway(ctx, tx, today)
	if err != nil {
		return s, upgradebot.Routing{}, err
	}
	r, err := upgradebot.Route(s.Owner, away, today)
	return s, r, err
}

func createDecision(ctx context.Context, tx *writeTx, actor string, d *upgradebot.Decision) (upgradebot.Routing, error) {
	if err := requireActor(actor); err != nil {
		return upgradebot.Routing{}, err
	}
	d.Status = ""
	if err := d.Validate(); err != nil {
		return upgradebot.Routing{}, err
	}
	s, r, err := routing(ctx, tx)
	if err != nil {
		return upgradebot.Routing{}, err
	}
	d.RequestedBy, d.RoutedTo, d.OnBehalfOf = actor, r.To, ""
	if r.Delegated {
		d.OnBehalfOf = r.Owner
	}
	d.DecidedBy, d.DecidedAt, d.Comment, d.CreatedAt = "", time.Time{}, "", tx.now
	if err := tx.QueryRowContext(ctx, `
		INSERT INTO decisions (question, requested_by, routed_to, on_behalf_of, due, status, created_at,
			release_id, phase, gate_day)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		d.Question, d.RequestedBy, d.RoutedTo, d.OnBehalfOf, dateArg(d.Due), string(d.Status), formatTime(d.CreatedAt),
		nullID(d.ReleaseID), nullText(string(d.Phase)), dateArg(d.GateDay),
	).Scan(&d.ID); err != nil {
		return upgradebot.Routing{}, fmt.Errorf("insert decision: %w", err)
	}

	m := upgradebot.DecisionRequestMessage(d, s.Location())
	if err := queueMessage(ctx, tx, &m); err != nil {
		return upgradebot.Routing{}, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE decisions SET request_msg = ? WHERE id = ?`, m.ID, d.ID); err != nil {
		return upgradebot.Routing{}, fmt.Errorf("link decision %d to its request: %w", d.ID, err)
	}
	if err := tx.audit(ctx, actor, "decision.request", "decision", d.ID, nil, d); err != nil {
		return upgradebot.Routing{}, err
	}
	tx.affects(d.RequestedBy, d.RoutedTo)
	return r, nil
}

func decide(ctx context.Context, tx *writeTx, actor string, id int64, outcome upgradebot.DecisionStatus, comment string) (*upgradebot.Decision, error) {
	if err := requireActor(actor); err != nil {
		return nil, err
	}
	switch outcome {
	case upgradebot.DecisionApproved:
	case upgradebot.DecisionRejected:
		if strings.TrimSpace(comment) == "" {
			return nil, upgradebot.Errorf(upgradebot.EINVALID, "A rejection needs a reason: `/upgrade reject %d <reason>`.", id)
		}
	default:
		return nil, upgradebot.Errorf(upgradebot.EINVALID, "A decision is approved or rejected, not %q.", outcome)
	}
	if strings.TrimSpace(comment) != "" {
		if err := upgradebot.ValidateText("comment", comment); err != nil {
			return nil, err
		}
	}

	d, _, err := scanDecision(tx.QueryRowContext(ctx, `SELECT `+decisionColumns+` FROM decisions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, upgradebot.Errorf(upgradebot.ENOTFOUND, "No decision #%d.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find decision %d: %w", id, err)
	}
	s, r, err := routing(ctx, tx)
	if err != nil {
		return nil, err
	}
	if !r.MayDecide(actor) {
		return nil, upgradebot.Errorf(upgradebot.EFORBIDDEN,
			"Only the decision owner %s (or their delegate while they are away) can decide #%d.", upgradebot.Mention(r.Owner), id)
	}
	if d.Status != upgradebot.DecisionPending {
		return nil, alreadyDecided(d, s.Location())
	}

	before := *d
	d.Status, d.DecidedBy, d.DecidedAt, d.Comment = outcome, actor, tx.now, strings.TrimSpace(comment)
	// The status guard makes a lost race visible even if two deciders ever
	// got past the check above.
	res, err := tx.ExecContext(ctx, `
		UPDATE decisions SET status = ?, decided_by = ?, decided_at = ?, comment = ?
		WHERE id = ? AND status = 'pending'`,
		string(d.Status), d.DecidedBy, formatTime(d.DecidedAt), d.Comment, d.ID)
	if err != nil {
		return nil, fmt.Errorf("decide %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, fmt.Errorf("decide %d: %w", id, err)
	} else if n != 1 {
		now, _, err := scanDecision(tx.QueryRowContext(ctx, `SELECT `+decisionColumns+` FROM decisions WHERE id = ?`, id))
		if err != nil {
			return nil, fmt.Errorf("find decision %d: %w", id, err)
		}
		return nil, alreadyDecided(now, s.Location())
	}

	action := "decision.approve"
	if outcome == upgradebot.DecisionRejected {
		action = "decision.reject"
	}
	if err := tx.audit(ctx, actor, action, "decision", d.ID, &before, d); err != nil {
		return nil, err
	}
	tx.affects(d.RequestedBy, d.RoutedTo)
	if d.IsGate() {
		if d.GateResult, err = closeGate(ctx, tx, actor, d); err != nil {
			return nil, err
		}
	}
	cards, err := decisionCards(ctx, tx, d.ID)
	if err != nil {
		return nil, err
	}
	for _, m := range upgradebot.DecisionOutcomeMessages(d, cards, s.Channel, s.Location()) {
		if d.GateResult != "" {
			m.Text += "\n" + d.GateResult
		}
		if err := queueMessage(ctx, tx, &m); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func alreadyDecided(d *upgradebot.Decision, loc *time.Location) error {
	return upgradebot.Errorf(upgradebot.ECONFLICT, "Decision #%d was already %s by %s at %s.",
		d.ID, d.Status, upgradebot.Mention(d.DecidedBy), humanTime(d.DecidedAt, loc))
}

// scanDecisionOnly is scanDecision for queryAll.
func scanDecisionOnly(s scanner) (*upgradebot.Decision, error) {
	d, _, err := scanDecision(s)
	return d, err
}

// scanDecision returns the decision and the outbox id of its request DM (0
// if unknown).
func scanDecision(s scanner) (*upgradebot.Decision, int64, error) {
	var d upgradebot.Decision
	var status, createdAt string
	var due, decidedAt, gateDay sql.NullString
	var requestMsg int64
	var phase string
	if err := s.Scan(&d.ID, &d.Question, &d.RequestedBy, &d.RoutedTo, &d.OnBehalfOf, &due, &status, &d.DecidedBy,
		&decidedAt, &d.Comment, &createdAt, &requestMsg, &d.ReleaseID, &d.Release, &phase, &gateDay); err != nil {
		return nil, 0, err
	}
	d.Status, d.Phase = upgradebot.DecisionStatus(status), upgradebot.Phase(phase)
	var err error
	if d.Due, err = parseDate(due); err != nil {
		return nil, 0, err
	}
	if d.GateDay, err = parseDate(gateDay); err != nil {
		return nil, 0, err
	}
	if d.DecidedAt, err = parseNullTime(decidedAt); err != nil {
		return nil, 0, err
	}
	if d.CreatedAt, err = parseTime(createdAt); err != nil {
		return nil, 0, err
	}
	return &d, requestMsg, nil
}
