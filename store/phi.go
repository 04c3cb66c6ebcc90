package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/upgradebot/upgradebot"
)

// Patient data. Every method that stores text a person gave checks it with
// the team's guard inside its write, before anything is written (checkPHI),
// and returns through db.refused, which records a refusal in the audit
// trail in a write of its own: action phi.refused, entity "phi", with the
// upgradebot.PHIRefusal (where, which field, what kind) and never the text.

// phiGuard reads the team's guard (its MRN pattern) in q's transaction.
func phiGuard(ctx context.Context, q queryer) (upgradebot.PHIGuard, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, upgradebot.SettingPHIMRN).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return upgradebot.PHIGuard{}, nil
	} else if err != nil {
		return upgradebot.PHIGuard{}, fmt.Errorf("read the MRN pattern: %w", err)
	}
	return upgradebot.Settings{Values: map[string]string{upgradebot.SettingPHIMRN: v}}.PHIGuard(), nil
}

// checkPHI refuses (a *upgradebot.PHIError) the first of texts that holds
// a patient identifier, for entity id (0 for a new one).
func checkPHI(ctx context.Context, q queryer, entity string, id int64, pctx upgradebot.PHIContext, texts ...upgradebot.PHIText) error {
	g, err := phiGuard(ctx, q)
	if err != nil {
		return err
	}
	return g.RefuseAll(entity, id, pctx, texts...)
}

// refused returns err, after recording it in the audit trail when it is a
// refusal for patient data. That record is a write of its own, made after
// the refused command's transaction was rolled back: nothing of the command
// is kept, only that actor tried, where, and the kind of identifier.
// Failing to record it is logged nowhere and changes nothing: the command
// is refused either way.
func (db *DB) refused(ctx context.Context, actor string, err error) error {
	var pe *upgradebot.PHIError
	if !errors.As(err, &pe) {
		return err
	}
	_ = db.RecordPHIRefusals(ctx, actor, []upgradebot.PHIRefusal{pe.Refusal})
	return err
}

// RecordPHIRefusals records refusals for patient data made outside the
// store, in one transaction: each as phi.refused, without the text.
func (db *DB) RecordPHIRefusals(ctx context.Context, actor string, refusals []upgradebot.PHIRefusal) error {
	if err := requireActor(actor); err != nil {
		return err
	}
	if len(refusals) == 0 {
		return nil
	}
	return db.write(ctx, "record refusal", func(tx *writeTx) error {
		for _, r := range refusals {
			if err := tx.audit(ctx, actor, "phi.refused", "phi", r.ID, nil, r); err != nil {
				return err
			}
		}
		tx.affected = nil // a refusal changes nobody's App Home
		return nil
	})
}

// ScanPHI checks everything stored with the team's guard. Admins only.
func (db *DB) ScanPHI(ctx context.Context, actor string) ([]upgradebot.PHIFinding, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, wrap("scan for patient data", err)
	}
	defer tx.Rollback()
	s, err := readSettings(ctx, tx)
	if err != nil {
		return nil, wrap("scan for patient data", err)
	}
	if err := requireAdmin(s, actor, "scan the desk for patient data"); err != nil {
		return nil, err
	}
	out, err := scanPHI(ctx, tx, s.PHIGuard())
	return out, wrap("scan for patient data", err)
}

// phiSource is one query scanPHI reads: each row is an id, a key (or ”),
// whether it is about a clean-up, and one text per field.
type phiSource struct {
	entity string
	fields []string
	query  string
}

var phiSources = []phiSource{
	{"task", []string{"title", "ref"}, `SELECT id, '', kind = 'cleanup' OR maintenance_id IS NOT NULL, title, ref FROM tasks ORDER BY id`},
	{"task", []string{"note"}, `SELECT n.task_id, '', t.kind = 'cleanup' OR t.maintenance_id IS NOT NULL, n.text
		FROM task_notes n JOIN tasks t ON t.id = n.task_id ORDER BY n.task_id, n.id`},
	{"task", []string{"time note"}, `SELECT e.task_id, '', t.kind = 'cleanup' OR t.maintenance_id IS NOT NULL, e.note
		FROM task_time e JOIN tasks t ON t.id = e.task_id ORDER BY e.task_id, e.id`},
	{"decision", []string{"question", "comment"}, `SELECT id, '', 0, question, comment FROM decisions ORDER BY id`},
	{"release", []string{"key", "vendor", "name"}, `SELECT id, key, 0, key, vendor, name FROM releases ORDER BY id`},
	{"release", []string{"release-note item", "release-note reason"}, `SELECT r.id, r.key, 0, i.title, i.reason
		FROM release_items i JOIN releases r ON r.id = i.release_id ORDER BY r.id, i.id`},
	{"vendor", []string{"name"}, `SELECT id, '', 0, name FROM vendors ORDER BY id`},
	{"maint", []string{"title"}, `SELECT id, '', 1, title FROM maintenance ORDER BY id`},
	{"freeze", []string{"reason"}, `SELECT id, '', 0, reason FROM freezes ORDER BY id`},
	{"checklist", []string{"title"}, `SELECT id, '', 0, title FROM checklist ORDER BY id`},
	{"site", []string{"key", "name"}, `SELECT 0, key, 0, key, name FROM sites ORDER BY key`},
	// The trail keeps what was written before the guard (or the team's
	// pattern) was there; it is append-only, so a hit there is for whoever
	// runs the bot to deal with. Refusals hold no text.
	{"audit row", []string{"before", "after"}, `SELECT id, '', 0, before_json, after_json FROM audit WHERE action <> 'phi.refused' ORDER BY id`},
}

// scanPHI runs every source through g, one finding per thing, in the
// order of phiSources and then of ids; a thing read by several sources
// (a task's title and its notes) is one finding.
func scanPHI(ctx context.Context, q queryer, g upgradebot.PHIGuard) ([]upgradebot.PHIFinding, error) {
	var out []upgradebot.PHIFinding
	index := map[string]int{}
	for _, src := range phiSources {
		rows, err := q.QueryContext(ctx, src.query)
		if err != nil {
			return nil, fmt.Errorf("scan %s: %w", src.entity, err)
		}
		for rows.Next() {
			var id int64
			var key string
			var cleanup bool
			texts := make([]string, len(src.fields))
			dest := []any{&id, &key, &cleanup}
			for i := range texts {
				dest = append(dest, &texts[i])
			}
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				return nil, fmt.Errorf("scan %s: %w", src.entity, err)
			}
			var fields []upgradebot.PHIField
			for i, f := range src.fields {
				fields = append(fields, upgradebot.PHIField{Name: f, Text: texts[i]})
			}
			hits := g.Scan(upgradebot.PHIContext{Cleanup: cleanup}, fields...)
			if len(hits) == 0 {
				continue
			}
			for _, h := range hits {
				if h.Field == "key" {
					key = "" // a key that holds one is not shown: the id names it
				}
			}
			name := fmt.Sprintf("%s %d", src.entity, id)
			if i, ok := index[name]; ok {
				out[i].Hits = append(out[i].Hits, hits...)
				continue
			}
			index[name] = len(out)
			out = append(out, upgradebot.PHIFinding{Entity: src.entity, ID: id, Key: key, Hits: hits})
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("scan %s: %w", src.entity, err)
		}
	}
	return out, nil
}
