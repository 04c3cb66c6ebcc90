package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/upgradebot/upgradebot"
)

const messageColumns = `id, kind, to_id, text, COALESCE(decision_id, 0), COALESCE(update_of, 0), status, attempts,
	next_try, last_error, created_at, sent_at, slack_channel, slack_ts, sections, attach, COALESCE(thread_of, 0), items`

// queueMessage writes m to the outbox as pending, due now, and sets its ID.
// A DM that carries a decision's buttons is recorded as a card of the
// decision (see decisionCards).
func queueMessage(ctx context.Context, tx *writeTx, m *upgradebot.Message) error {
	m.Status, m.Attempts, m.LastError = upgradebot.MessagePending, 0, ""
	m.NextTry, m.CreatedAt, m.SentAt = tx.now, tx.now, time.Time{}
	m.SlackChannel, m.SlackTS = "", ""
	sections, err := sectionsJSON(m.Sections)
	if err != nil {
		return fmt.Errorf("queue %s message to %s: %w", m.Kind, m.To, err)
	}
	items, err := itemsJSON(m.Items, m.Footer)
	if err != nil {
		return fmt.Errorf("queue %s message to %s: %w", m.Kind, m.To, err)
	}
	if err := tx.QueryRowContext(ctx, `
		INSERT INTO outbox (kind, to_id, text, decision_id, update_of, status, attempts, next_try, last_error, created_at, sections, attach,
			thread_of, items)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		string(m.Kind), m.To, m.Text, nullID(m.DecisionID), nullID(m.UpdateOf), string(m.Status), m.Attempts,
		formatTime(m.NextTry), m.LastError, formatTime(m.CreatedAt), sections, m.Attach, nullID(m.ThreadOf), items,
	).Scan(&m.ID); err != nil {
		return fmt.Errorf("queue %s message to %s: %w", m.Kind, m.To, err)
	}
	if m.Kind == upgradebot.MessageDM && m.DecisionID != 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO decision_cards (message_id, decision_id) VALUES (?, ?)`, m.ID, m.DecisionID); err != nil {
			return fmt.Errorf("record the card of decision %d: %w", m.DecisionID, err)
		}
	}
	return nil
}

// decisionCards returns the open cards of decision id (the messages that
// carry its buttons and were not updated since), oldest first, leaving out
// those Slack never took (failed: there is nothing to update), and closes
// them all: the caller queues their updates in the same transaction.
func decisionCards(ctx context.Context, tx *writeTx, id int64) ([]upgradebot.DecisionCard, error) {
	cards, err := queryAll(ctx, tx, func(s scanner) (upgradebot.DecisionCard, error) {
		var c upgradebot.DecisionCard
		err := s.Scan(&c.Message, &c.To)
		return c, err
	}, `SELECT c.message_id, o.to_id FROM decision_cards c JOIN outbox o ON o.id = c.message_id
		WHERE c.decision_id = ? AND c.closed_at IS NULL AND o.status <> 'failed' ORDER BY c.message_id`, id)
	if err != nil {
		return nil, fmt.Errorf("find the cards of decision %d: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE decision_cards SET closed_at = ? WHERE decision_id = ? AND closed_at IS NULL`,
		formatTime(tx.now), id); err != nil {
		return nil, fmt.Errorf("close the cards of decision %d: %w", id, err)
	}
	return cards, nil
}

// QueueMessages adds messages to the outbox in one transaction. A home
// refresh for a user who already has one pending is dropped.
func (db *DB) QueueMessages(ctx context.Context, msgs []upgradebot.Message) error {
	return db.write(ctx, "queue messages", func(tx *writeTx) error {
		return queueAll(ctx, tx, msgs)
	})
}

// RecordEvent records a Slack event id and queues msgs in one transaction;
// false means the id was seen before and nothing was done.
func (db *DB) RecordEvent(ctx context.Context, eventID string, msgs []upgradebot.Message) (bool, error) {
	if eventID == "" || len(eventID) > 100 {
		return false, upgradebot.Errorf(upgradebot.EINVALID, "A Slack event needs an event id.")
	}
	return writeValue(ctx, db, "record event", func(tx *writeTx) (bool, error) {
		res, err := tx.ExecContext(ctx, `INSERT INTO slack_events (event_id, received_at) VALUES (?, ?) ON CONFLICT (event_id) DO NOTHING`,
			eventID, formatTime(tx.now))
		if err != nil {
			return false, err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return false, err
		}
		return true, queueAll(ctx, tx, msgs)
	})
}

// maxTriggerID bounds a Slack trigger_id (they are about 50 characters).
const maxTriggerID = 200

// recordTrigger records a Slack request's trigger_id in tx; ErrAlreadyDone
// if it was recorded before.
func (tx *writeTx) recordTrigger(ctx context.Context, id string) error {
	if id == "" || len(id) > maxTriggerID {
		return upgradebot.Errorf(upgradebot.EINVALID, "A Slack request needs a trigger id of at most %d characters.", maxTriggerID)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO slack_triggers (trigger_id, received_at) VALUES (?, ?) ON CONFLICT (trigger_id) DO NOTHING`,
		id, formatTime(tx.now))
	if err != nil {
		return fmt.Errorf("record trigger: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("record trigger: %w", err)
	} else if n == 0 {
		return upgradebot.ErrAlreadyDone
	}
	tx.triggered = true
	return nil
}

// RecordTrigger records the trigger of ctx in a write of its own, unless
// ctx has none or a write of the request recorded it.
func (db *DB) RecordTrigger(ctx context.Context) error {
	t := upgradebot.TriggerFrom(ctx)
	if t == nil || t.Recorded() {
		return nil
	}
	return db.write(ctx, "record trigger", func(tx *writeTx) error {
		return tx.recordTrigger(ctx, t.ID)
	})
}

// TriggerSeen reports whether the trigger id has been recorded.
func (db *DB) TriggerSeen(ctx context.Context, id string) (bool, error) {
	var n int
	err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM slack_triggers WHERE trigger_id = ?`, id).Scan(&n)
	return n > 0, wrap("trigger seen", err)
}

// ForgetSlackRequests deletes the trigger and event records received
// before before. It is bookkeeping, like the outbox's: no audit row.
func (db *DB) ForgetSlackRequests(ctx context.Context, before time.Time) (int, error) {
	return writeValue(ctx, db, "forget slack requests", func(tx *writeTx) (int, error) {
		tx.harmless()
		n := 0
		for _, table := range []string{"slack_triggers", "slack_events"} {
			res, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE received_at < ?`, formatTime(before))
			if err != nil {
				return 0, fmt.Errorf("%s: %w", table, err)
			}
			k, err := res.RowsAffected()
			if err != nil {
				return 0, fmt.Errorf("%s: %w", table, err)
			}
			n += int(k)
		}
		return n, nil
	})
}

// queueAll queues msgs, folding home refreshes into a pending one.
func queueAll(ctx context.Context, tx *writeTx, msgs []upgradebot.Message) error {
	for i := range msgs {
		m := &msgs[i]
		switch {
		case m.Kind == upgradebot.MessageHome:
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE kind = 'home' AND to_id = ? AND status = 'pending'`, m.To).Scan(&n); err != nil {
				return fmt.Errorf("look for a pending home refresh: %w", err)
			}
			if n > 0 {
				continue
			}
		case m.Kind != upgradebot.MessageDM && m.Kind != upgradebot.MessagePost && m.Kind != upgradebot.MessageUpdate && m.Kind != upgradebot.MessageResponse:
			return upgradebot.Errorf(upgradebot.EINVALID, "Unknown message kind %q.", m.Kind)
		}
		if m.To == "" {
			return upgradebot.Errorf(upgradebot.EINVALID, "A %s message needs a recipient.", m.Kind)
		}
		if m.ThreadOf != 0 && m.Kind != upgradebot.MessageDM && m.Kind != upgradebot.MessagePost {
			return upgradebot.Errorf(upgradebot.EINVALID, "A %s message cannot reply in a thread: only a DM or a post does.", m.Kind)
		}
		if m.Attach != "" && (m.Attach != upgradebot.AttachChart || m.Kind != upgradebot.MessagePost) {
			return upgradebot.Errorf(upgradebot.EINVALID, "A %s message cannot carry the attachment %q: only a post carries the chart.", m.Kind, m.Attach)
		}
		if err := queueMessage(ctx, tx, m); err != nil {
			return err
		}
	}
	return nil
}

// ClaimMessage leases a pending message due at now until until.
func (db *DB) ClaimMessage(ctx context.Context, id int64, now, until time.Time) (bool, error) {
	if err := db.lockWriter(ctx); err != nil {
		return false, wrap("claim message", err)
	}
	defer db.unlockWriter()
	res, err := db.db.ExecContext(ctx, `UPDATE outbox SET next_try = ? WHERE id = ? AND status = 'pending' AND next_try <= ?`,
		formatTime(until), id, formatTime(now))
	if err != nil {
		return false, wrap("claim message", err)
	}
	n, err := res.RowsAffected()
	return n == 1, wrap("claim message", err)
}

// ClaimPaced leases a pending message due at now until until, unless its
// channel is booked past now (then it returns when the channel is free),
// and books the channel until now+gap, in one transaction.
func (db *DB) ClaimPaced(ctx context.Context, id int64, now, until time.Time, gap time.Duration) (bool, time.Time, error) {
	if err := db.lockWriter(ctx); err != nil {
		return false, time.Time{}, wrap("claim message", err)
	}
	defer db.unlockWriter()
	claimed, free, err := db.claimPaced(ctx, id, now, until, gap)
	return claimed, free, wrap("claim message", err)
}

func (db *DB) claimPaced(ctx context.Context, id int64, now, until time.Time, gap time.Duration) (bool, time.Time, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return false, time.Time{}, err
	}
	defer tx.Rollback()
	m := upgradebot.Message{ID: id}
	var kind string
	query := `SELECT kind, to_id FROM outbox WHERE id = ? AND status = 'pending' AND next_try <= ?`
	if db.pg {
		// The desk's write lock already makes this claim the only one
		// running; a row another statement has locked (ClaimMessage takes
		// none of the desk's lock) is someone else's claim.
		query += ` FOR UPDATE SKIP LOCKED`
	}
	err = tx.QueryRowContext(ctx, query, id, formatTime(now)).Scan(&kind, &m.To)
	if errors.Is(err, sql.ErrNoRows) {
		return false, time.Time{}, nil // claimed by another worker, or no longer pending
	} else if err != nil {
		return false, time.Time{}, err
	}
	m.Kind = upgradebot.MessageKind(kind)
	key := m.ChannelKey()
	if key != "" {
		var next string
		err := tx.QueryRowContext(ctx, `SELECT next_at FROM outbox_channels WHERE channel = ?`, key).Scan(&next)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return false, time.Time{}, err
		default:
			free, err := parseTime(next)
			if err != nil {
				return false, time.Time{}, err
			}
			if free.After(now) {
				return false, free, nil
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET next_try = ? WHERE id = ?`, formatTime(until), id); err != nil {
		return false, time.Time{}, err
	}
	if key != "" && gap > 0 {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO outbox_channels (channel, next_at) VALUES (?, ?)
			ON CONFLICT (channel) DO UPDATE SET next_at = excluded.next_at`,
			key, formatTime(now.Add(gap))); err != nil {
			return false, time.Time{}, err
		}
	}
	return true, time.Time{}, tx.Commit()
}

// CountMessages returns how many messages are in each status.
func (db *DB) CountMessages(ctx context.Context) (map[upgradebot.MessageStatus]int, error) {
	type count struct {
		status string
		n      int
	}
	list, err := queryAll(ctx, db.db, func(s scanner) (count, error) {
		var c count
		err := s.Scan(&c.status, &c.n)
		return c, err
	}, `SELECT status, COUNT(*) FROM outbox GROUP BY status`)
	if err != nil {
		return nil, wrap("count messages", err)
	}
	counts := map[upgradebot.MessageStatus]int{}
	for _, c := range list {
		counts[upgradebot.MessageStatus(c.status)] = c.n
	}
	return counts, nil
}

// PendingMessages returns up to limit pending messages due at now, oldest
// first. A limit of 0 or less means no limit.
func (db *DB) PendingMessages(ctx context.Context, now time.Time, limit int) ([]*upgradebot.Message, error) {
	query := `SELECT ` + messageColumns + ` FROM outbox WHERE status = 'pending' AND next_try <= ? ORDER BY id`
	args := []any{formatTime(now)}
	if limit > 0 {
		query += ` LIMIT ?`
		args = append(args, limit)
	}
	msgs, err := findMessages(ctx, db.db, query, args...)
	return msgs, wrap("pending messages", err)
}

// channelKeySQL is Message.ChannelKey in SQL, with "#id" for a message
// that has none, so that it is a channel of its own.
const channelKeySQL = `CASE WHEN kind IN ('dm', 'post', 'update') THEN to_id ELSE '#' || id END`

// DueMessages returns up to limit pending messages due at now, taking
// channels in turn: every channel's oldest, then every channel's second, ….
// Channels booked past now are left out.
func (db *DB) DueMessages(ctx context.Context, now time.Time, limit int) ([]*upgradebot.Message, error) {
	// The turns are numbered on the ids alone; only the chosen rows are read.
	if limit <= 0 {
		limit = math.MaxInt64 // no limit, on either backend
	}
	at := formatTime(now)
	msgs, err := findMessages(ctx, db.db, `
		WITH due AS (
			SELECT id, ROW_NUMBER() OVER (PARTITION BY `+channelKeySQL+` ORDER BY id) AS turn
			FROM outbox o WHERE status = 'pending' AND next_try <= ?
				AND NOT EXISTS (SELECT 1 FROM outbox_channels c
					WHERE c.channel = o.to_id AND o.kind IN ('dm', 'post', 'update') AND c.next_at > ?)
		), chosen AS (SELECT id, turn FROM due ORDER BY turn, id LIMIT ?)
		SELECT `+messageColumns+` FROM chosen JOIN outbox USING (id) ORDER BY chosen.turn, chosen.id`,
		at, at, limit)
	return msgs, wrap("due messages", err)
}

// OldestPending returns when the oldest pending message was queued, or the
// zero time.
func (db *DB) OldestPending(ctx context.Context) (time.Time, error) {
	var at sql.NullString
	if err := db.db.QueryRowContext(ctx, `SELECT MIN(created_at) FROM outbox WHERE status = 'pending'`).Scan(&at); err != nil {
		return time.Time{}, wrap("oldest pending message", err)
	}
	t, err := parseNullTime(at)
	return t, wrap("oldest pending message", err)
}

// FindMessage returns ENOTFOUND if there is no such message.
func (db *DB) FindMessage(ctx context.Context, id int64) (*upgradebot.Message, error) {
	m, err := scanMessage(db.db.QueryRowContext(ctx, `SELECT `+messageColumns+` FROM outbox WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, upgradebot.Errorf(upgradebot.ENOTFOUND, "No message #%d.", id)
	}
	return m, wrap("find message", err)
}

// FailedMessages returns messages that failed for good, newest first. A
// limit of 0 or less means no limit.
func (db *DB) FailedMessages(ctx context.Context, limit int) ([]*upgradebot.Message, error) {
	query := `SELECT ` + messageColumns + ` FROM outbox WHERE status = 'failed' ORDER BY id DESC`
	var args []any
	if limit > 0 {
		query += ` LIMIT ?`
		args = append(args, limit)
	}
	msgs, err := findMessages(ctx, db.db, query, args...)
	return msgs, wrap("failed messages", err)
}

// MarkSent records delivery, when it happened and where Slack put the
// message.
func (db *DB) MarkSent(ctx context.Context, id int64, channel, ts string) error {
	now := db.clock.Now()
	return wrap("mark sent", db.markMessage(ctx, id, `
		UPDATE outbox SET status = 'sent', sent_at = ?, slack_channel = ?, slack_ts = ?, last_error = '' WHERE id = ?`,
		formatTime(now), channel, ts, id))
}

// MarkRetry records a failed attempt and when to try again; the message
// stays pending.
func (db *DB) MarkRetry(ctx context.Context, id int64, reason string, next time.Time) error {
	return wrap("mark retry", db.markMessage(ctx, id, `
		UPDATE outbox SET status = 'pending', attempts = attempts + 1, next_try = ?, last_error = ? WHERE id = ?`,
		formatTime(next), reason, id))
}

// Postpone keeps a message pending until next without counting an attempt.
func (db *DB) Postpone(ctx context.Context, id int64, reason string, next time.Time) error {
	return wrap("postpone", db.markMessage(ctx, id, `
		UPDATE outbox SET status = 'pending', next_try = ?, last_error = ? WHERE id = ?`,
		formatTime(next), reason, id))
}

// MarkFailed records a last failed attempt and gives up on the message.
func (db *DB) MarkFailed(ctx context.Context, id int64, reason string) error {
	return wrap("mark failed", db.markMessage(ctx, id, `
		UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?`,
		reason, id))
}

// RetryFailed re-queues the failed message id, or for id 0 every message
// that failed and was created within RetryAllWithin, due now with no
// attempts, in one transaction audited as message.retry. Admins only.
func (db *DB) RetryFailed(ctx context.Context, actor string, id int64) (int, error) {
	return writeValue(ctx, db, "retry failed messages", func(tx *writeTx) (int, error) {
		s, err := tx.settings(ctx)
		if err != nil {
			return 0, err
		}
		if err := requireAdmin(s, actor, "retry failed messages"); err != nil {
			return 0, err
		}
		query, args := `UPDATE outbox SET status = 'pending', attempts = 0, next_try = ?, last_error = '' WHERE status = 'failed'`,
			[]any{formatTime(tx.now)}
		if id != 0 {
			query, args = query+` AND id = ?`, append(args, id)
		} else {
			query, args = query+` AND created_at >= ?`, append(args, formatTime(tx.now.Add(-upgradebot.RetryAllWithin)))
		}
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return 0, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, err
		}
		if id != 0 && n == 0 {
			return 0, upgradebot.Errorf(upgradebot.ENOTFOUND, "Message #%d has not failed; `/upgrade failed` lists those that have.", id)
		}
		if n > 0 {
			if err := tx.audit(ctx, actor, "message.retry", "message", id, nil, map[string]int64{"requeued": n}); err != nil {
				return 0, err
			}
		}
		return int(n), nil
	})
}

// markMessage runs one delivery-bookkeeping update. These are not audited:
// they record what happened to a message, not a change anyone made.
func (db *DB) markMessage(ctx context.Context, id int64, query string, args ...any) error {
	if err := db.lockWriter(ctx); err != nil {
		return err
	}
	defer db.unlockWriter()
	res, err := db.db.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return upgradebot.Errorf(upgradebot.ENOTFOUND, "No message #%d.", id)
	}
	return nil
}

// sectionsJSON is how a message's sections are stored: JSON, or "" for a
// plain message.
func sectionsJSON(sections []upgradebot.Section) (string, error) {
	if len(sections) == 0 {
		return "", nil
	}
	b, err := json.Marshal(sections)
	if err != nil {
		return "", fmt.Errorf("sections: %w", err)
	}
	return string(b), nil
}

// storedItems is how a message's items and footer are stored: JSON, or ""
// for a message with neither.
type storedItems struct {
	Items  []upgradebot.Item `json:"items,omitempty"`
	Footer string            `json:"footer,omitempty"`
}

func itemsJSON(items []upgradebot.Item, footer string) (string, error) {
	if len(items) == 0 && footer == "" {
		return "", nil
	}
	b, err := json.Marshal(storedItems{items, footer})
	if err != nil {
		return "", fmt.Errorf("items: %w", err)
	}
	return string(b), nil
}

func findMessages(ctx context.Context, q queryer, query string, args ...any) ([]*upgradebot.Message, error) {
	return queryAll(ctx, q, scanMessage, query, args...)
}

func scanMessage(s scanner) (*upgradebot.Message, error) {
	var m upgradebot.Message
	var kind, status, nextTry, createdAt, sections, items string
	var sentAt sql.NullString
	if err := s.Scan(&m.ID, &kind, &m.To, &m.Text, &m.DecisionID, &m.UpdateOf, &status, &m.Attempts,
		&nextTry, &m.LastError, &createdAt, &sentAt, &m.SlackChannel, &m.SlackTS, &sections, &m.Attach, &m.ThreadOf, &items); err != nil {
		return nil, err
	}
	if items != "" {
		var si storedItems
		if err := json.Unmarshal([]byte(items), &si); err != nil {
			return nil, fmt.Errorf("bad items of message %d in database: %w", m.ID, err)
		}
		m.Items, m.Footer = si.Items, si.Footer
	}
	m.Kind, m.Status = upgradebot.MessageKind(kind), upgradebot.MessageStatus(status)
	if sections != "" {
		if err := json.Unmarshal([]byte(sections), &m.Sections); err != nil {
			return nil, fmt.Errorf("bad sections of message %d in database: %w", m.ID, err)
		}
	}
	var err error
	if m.NextTry, err = parseTime(nextTry); err != nil {
		return nil, err
	}
	if m.CreatedAt, err = parseTime(createdAt); err != nil {
		return nil, err
	}
	if m.SentAt, err = parseNullTime(sentAt); err != nil {
		return nil, err
	}
	return &m, nil
}
