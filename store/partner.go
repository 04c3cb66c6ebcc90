package store

import (
	"context"
	"fmt"

	"github.com/upgradebot/upgradebot"
)

// Partners: people of an outsourced managed-services team, who see the desk
// and work what is assigned to them (upgradebot.PartnerMay). Each method
// that changes something a partner may not change refuses them here, in
// the write's transaction, with upgradebot.PartnerRefusal or
// PartnerNotTheirs: the store is the authority, the bot only says it.

// partnerAudit is how the audit trail records one partner.
type partnerAudit struct {
	User string `json:"user"`
}

// AddPartner makes user a partner. Admins only; ECONFLICT for an admin,
// the decision owner or a delegate in a current or coming away window.
func (db *DB) AddPartner(ctx context.Context, actor, user string) error {
	return db.write(ctx, "add partner", func(tx *writeTx) error {
		s, err := tx.settings(ctx)
		if err != nil {
			return err
		}
		if err := requireAdmin(s, actor, "make someone a partner"); err != nil {
			return err
		}
		if err := requireUser(user); err != nil {
			return err
		}
		if s.IsPartner(user) {
			return nil
		}
		switch {
		case s.IsAdmin(user):
			return upgradebot.Errorf(upgradebot.ECONFLICT, "%s is an admin; someone is an admin or a partner, not both. `/upgrade admin remove %s` first, if they are to be a partner.",
				upgradebot.Mention(user), upgradebot.Mention(user))
		case user == s.Owner:
			return upgradebot.Errorf(upgradebot.ECONFLICT, "%s is the decision owner, and a partner cannot decide. Make someone else the owner first (`/upgrade owner @name`).",
				upgradebot.Mention(user))
		}
		aways, err := findAway(ctx, tx, tx.today(s))
		if err != nil {
			return err
		}
		for _, a := range aways {
			if a.Delegate == user {
				return upgradebot.Errorf(upgradebot.ECONFLICT, "%s is %s's delegate from %s to %s, and a partner cannot decide. Clear that away window first (`/upgrade away clear %s`).",
					upgradebot.Mention(user), upgradebot.Mention(a.User), a.From.Human(), a.To.Human(), upgradebot.Mention(a.User))
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO partners (user_id, added_by, added_at) VALUES (?, ?, ?)`,
			user, actor, formatTime(tx.now)); err != nil {
			return fmt.Errorf("add partner %s: %w", user, err)
		}
		tx.affects(user)
		return tx.audit(ctx, actor, "partner.add", "partner", 0, nil, partnerAudit{user})
	})
}

// RemovePartner makes a partner a member again. Admins only; ENOTFOUND if
// user is not a partner.
func (db *DB) RemovePartner(ctx context.Context, actor, user string) error {
	return db.write(ctx, "remove partner", func(tx *writeTx) error {
		s, err := tx.settings(ctx)
		if err != nil {
			return err
		}
		if err := requireAdmin(s, actor, "change who is a partner"); err != nil {
			return err
		}
		if !s.IsPartner(user) {
			return upgradebot.Errorf(upgradebot.ENOTFOUND, "%s is not a partner.", upgradebot.Mention(user))
		}
		return removePartner(ctx, tx, actor, user)
	})
}

func removePartner(ctx context.Context, tx *writeTx, actor, user string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM partners WHERE user_id = ?`, user); err != nil {
		return fmt.Errorf("remove partner %s: %w", user, err)
	}
	tx.affects(user)
	return tx.audit(ctx, actor, "partner.remove", "partner", 0, partnerAudit{user}, nil)
}

// isPartner reports whether user is a partner, in q's transaction: one
// indexed read, so that the changes anyone may make check it cheaply.
func isPartner(ctx context.Context, q queryer, user string) (bool, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM partners WHERE user_id = ?`, user).Scan(&n); err != nil {
		return false, fmt.Errorf("read partners: %w", err)
	}
	return n > 0, nil
}

// requireMember refuses a partner (EFORBIDDEN) what only the in-house team
// may do; what is what they tried ("cancel tasks").
func requireMember(ctx context.Context, tx *writeTx, actor, what string) error {
	partner, err := isPartner(ctx, tx, actor)
	if err != nil || !partner {
		return err
	}
	s, err := tx.settings(ctx)
	if err != nil {
		return err
	}
	return upgradebot.PartnerRefusal(what, s.TeamDoesRest())
}

// requireTheirs refuses a partner (EFORBIDDEN) a change to t unless t is
// assigned to them; verb is what they tried ("add notes to").
func requireTheirs(ctx context.Context, tx *writeTx, actor, verb string, t *upgradebot.Task) error {
	if t.Assignee == actor {
		return nil
	}
	partner, err := isPartner(ctx, tx, actor)
	if err != nil || !partner {
		return err
	}
	s, err := tx.settings(ctx)
	if err != nil {
		return err
	}
	return upgradebot.PartnerNotTheirs(verb, t, s.TeamDoesRest())
}
