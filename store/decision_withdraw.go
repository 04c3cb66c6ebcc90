package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/upgradebot/upgradebot"
)

// WithdrawDecision takes back a pending decision its requester asked.
func (db *DB) WithdrawDecision(ctx context.Context, actor string, id int64, reason string) (*upgradebot.Decision, error) {
	d, err := writeValue(ctx, db, "withdraw decision", func(tx *writeTx) (*upgradebot.Decision, error) {
		if err := checkPHI(ctx, tx, "decision", id, upgradebot.PHIContext{}, upgradebot.PHIText{Field: "reason", Text: reason}); err != nil {
			return nil, err
		}
		return withdrawDecision(ctx, tx, actor, id, reason)
	})
	return d, db.refused(ctx, actor, err)
}

func withdrawDecision(ctx context.Context, tx *writeTx, actor string, id int64, reason string) (*upgradebot.Decision, error) {
	if err := requireActor(actor); err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if reason != "" {
		if err := upgradebot.ValidateText("reason", reason); err != nil {
			return nil, err
		}
	}
	d, _, err := scanDecision(tx.QueryRowContext(ctx, `SELECT `+decisionColumns+` FROM decisions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, upgradebot.Errorf(upgradebot.ENOTFOUND, "No decision D%d; `/upgrade decisions all` lists them.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find decision %d: %w", id, err)
	}
	if d.RequestedBy != actor {
		return nil, upgradebot.Errorf(upgradebot.EFORBIDDEN, "Only %s, who asked decision D%d, can withdraw it.", upgradebot.Mention(d.RequestedBy), id)
	}
	if d.Status != upgradebot.DecisionPending {
		s, err := tx.settings(ctx)
		if err != nil {
			return nil, err
		}
		return nil, alreadyDecided(d, s.Location())
	}
	before := *d
	d.Status, d.DecidedBy, d.DecidedAt, d.Comment = upgradebot.DecisionWithdrawn, actor, tx.now, reason
	res, err := tx.ExecContext(ctx, `
		UPDATE decisions SET status = ?, decided_by = ?, decided_at = ?, comment = ?
		WHERE id = ? AND status = 'pending'`,
		string(d.Status), d.DecidedBy, formatTime(d.DecidedAt), d.Comment, d.ID)
	if err != nil {
		return nil, fmt.Errorf("withdraw decision %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, fmt.Errorf("withdraw decision %d: %w", id, err)
	} else if n != 1 {
		return nil, fmt.Errorf("withdraw decision %d: changed %d rows", id, n)
	}
	if err := tx.audit(ctx, actor, "decision.withdraw", "decision", d.ID, &before, d); err != nil {
		return nil, err
	}
	tx.affects(d.RequestedBy, d.RoutedTo)
	cards, err := decisionCards(ctx, tx, d.ID)
	if err != nil {
		return nil, err
	}
	return d, queueAll(ctx, tx, upgradebot.DecisionWithdrawnMessages(d, cards))
}

// rerouteDecisions sends every pending decision not already with whoever
// decides today to them, after the owner changed: a new request DM (its
// outbox id becomes the decision's request), every card of it before edited
// in place,
// an audit row (decision.reroute) each, and one DM per requester other
// than the actor. The new request counts as the escalation ladder's
// reminder: the next step comes the policy's working days after it.
func rerouteDecisions(ctx context.Context, tx *writeTx, actor string) error {
	s, r, err := routing(ctx, tx)
	if err != nil {
		return err
	}
	list, err := queryAll(ctx, tx, scanDecisionOnly, `SELECT `+decisionColumns+` FROM decisions WHERE status = 'pending' ORDER BY id`)
	if err != nil {
		return fmt.Errorf("find pending decisions: %w", err)
	}
	moved := map[string][]*upgradebot.Decision{}
	for _, d := range list {
		if d.RoutedTo == r.To {
			continue
		}
		before, from := *d, d.RoutedTo
		d.RoutedTo, d.OnBehalfOf = r.To, ""
		if r.Delegated {
			d.OnBehalfOf = r.Owner
		}
		// The cards before the new request say where it went; the new one
		// is the decision's only open card.
		cards, err := decisionCards(ctx, tx, d.ID)
		if err != nil {
			return err
		}
		req := upgradebot.DecisionRequestMessage(d, s.Location())
		if err := queueMessage(ctx, tx, &req); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			UPDATE decisions SET routed_to = ?, on_behalf_of = ?, request_msg = ?,
				escalation = CASE WHEN escalation > ? THEN escalation ELSE ? END,
				escalated_at = CASE WHEN escalation <= ? THEN ? ELSE escalated_at END
			WHERE id = ?`,
			d.RoutedTo, d.OnBehalfOf, req.ID, upgradebot.EscalationReminded, upgradebot.EscalationReminded,
			upgradebot.EscalationReminded, formatTime(tx.now), d.ID); err != nil {
			return fmt.Errorf("re-route decision %d: %w", d.ID, err)
		}
		if err := queueAll(ctx, tx, upgradebot.DecisionMovedMessages(d, from, cards)); err != nil {
			return err
		}
		if err := tx.audit(ctx, actor, "decision.reroute", "decision", d.ID, &before, d); err != nil {
			return err
		}
		tx.affects(from, d.RoutedTo, d.RequestedBy)
		if d.RequestedBy != actor && d.RequestedBy != d.RoutedTo {
			moved[d.RequestedBy] = append(moved[d.RequestedBy], d)
		}
	}
	requesters := make([]string, 0, len(moved))
	for u := range moved {
		requesters = append(requesters, u)
	}
	slices.Sort(requesters)
	for _, u := range requesters {
		m := upgradebot.DecisionsMovedMessage(u, actor, r.Owner, moved[u])
		if err := queueMessage(ctx, tx, &m); err != nil {
			return err
		}
	}
	return nil
}
