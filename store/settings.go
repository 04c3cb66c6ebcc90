package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/cronspec"
)

// Keys of the settings table.
const (
	settingOwner    = "owner"
	settingChannel  = "channel"
	settingTimeZone = "tz"
)

// settingAudit is how the audit trail records one setting.
type settingAudit struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// adminAudit is how the audit trail records one admin.
type adminAudit struct {
	User string `json:"user"`
}

// Settings returns the team settings with the admins sorted.
func (db *DB) Settings(ctx context.Context) (upgradebot.Settings, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return upgradebot.Settings{}, wrap("settings", err)
	}
	defer tx.Rollback()

	s, err := readSettings(ctx, tx)
	return s, wrap("settings", err)
}

// Bootstrap applies configuration from the environment: the channel and time
// zone when given and different, and any admins not yet present. It is
// audited as upgradebot.SystemActor and writes nothing when nothing changes.
func (db *DB) Bootstrap(ctx context.Context, channel, timeZone string, admins []string) error {
	if channel != "" && !upgradebot.ValidChannelID(channel) {
		return upgradebot.Errorf(upgradebot.EINVALID, "The channel %q is not a Slack channel id like C0123ABCD.", channel)
	}
	if timeZone != "" {
		if _, err := time.LoadLocation(timeZone); err != nil {
			return upgradebot.Errorf(upgradebot.EINVALID, "The time zone %q is unknown; use an IANA name like America/Chicago.", timeZone)
		}
	}
	for _, a := range admins {
		if !upgradebot.ValidUserID(a) {
			return upgradebot.Errorf(upgradebot.EINVALID, "The admin %q is not a Slack user id like U0123ABCD.", a)
		}
	}

	// Most starts change nothing: find that out without the write lock, so
	// that a command that only reads (import -dry-run) takes none.
	if s, err := db.Settings(ctx); err == nil && !bootstrapChanges(s, channel, timeZone, admins) {
		return nil
	}
	return db.write(ctx, "bootstrap", func(tx *writeTx) error {
		s, err := tx.settings(ctx)
		if err != nil {
			return err
		}
		if channel != "" && channel != s.Channel {
			if err := setSetting(ctx, tx, upgradebot.SystemActor, "setting.set", settingChannel, s.Channel, channel); err != nil {
				return err
			}
		}
		if timeZone != "" && timeZone != s.TimeZone {
			if err := setSetting(ctx, tx, upgradebot.SystemActor, "setting.set", settingTimeZone, s.TimeZone, timeZone); err != nil {
				return err
			}
		}
		for _, a := range admins {
			if s.IsAdmin(a) {
				continue
			}
			// The environment names admins: one who was made a partner
			// is an admin again, as the deployment says.
			if s.IsPartner(a) {
				if err := removePartner(ctx, tx, upgradebot.SystemActor, a); err != nil {
					return err
				}
			}
			if err := addAdmin(ctx, tx, upgradebot.SystemActor, a); err != nil {
				return err
			}
			s.Admins = append(s.Admins, a)
		}
		return nil
	})
}

// bootstrapChanges reports whether Bootstrap would change s.
func bootstrapChanges(s upgradebot.Settings, channel, timeZone string, admins []string) bool {
	if channel != "" && channel != s.Channel || timeZone != "" && timeZone != s.TimeZone {
		return true
	}
	for _, a := range admins {
		if !s.IsAdmin(a) {
			return true
		}
	}
	return false
}

// SetOwner makes user the decision owner, admins only, and re-routes the
// pending decisions to them (see rerouteDecisions).
func (db *DB) SetOwner(ctx context.Context, actor, user string) error {
	return db.write(ctx, "set owner", func(tx *writeTx) error {
		s, err := tx.settings(ctx)
		if err != nil {
			return err
		}
		if err := requireAdmin(s, actor, "set the decision owner"); err != nil {
			return err
		}
		if err := requireUser(user); err != nil {
			return err
		}
		if user == s.Owner {
			return nil
		}
		if s.IsPartner(user) {
			return upgradebot.Errorf(upgradebot.ECONFLICT, "%s is a partner, and a partner cannot decide. Make them a member first (`/upgrade admin partner remove %s`), or choose someone in the team.",
				upgradebot.Mention(user), upgradebot.Mention(user))
		}
		if err := setSetting(ctx, tx, actor, "owner.set", settingOwner, s.Owner, user); err != nil {
			return err
		}
		// Decisions waiting on the former owner go to the new one.
		return rerouteDecisions(ctx, tx, actor)
	})
}

// SetSettings sets the given settings in one transaction: admins only,
// each value checked (schedules also parsed as cron specs) before anything
// is written, each change audited as setting.set. Unchanged values write
// nothing. New phases (SettingPhases) may add, reorder and re-time
// phases, but not drop (or rename) one still named by a recorded release
// phase, a checklist item, an open task or a pending gate: ECONFLICT
// saying what uses it, and nothing is written. Changed lengths apply to
// phases planned from then on.
func (db *DB) SetSettings(ctx context.Context, actor string, values map[string]string) error {
	if err := requireActor(actor); err != nil {
		return err
	}
	if len(values) == 0 {
		return upgradebot.Errorf(upgradebot.EINVALID, "No setting to change.")
	}
	keys := make([]string, 0, len(values))
	clean := map[string]string{}
	for k, v := range values {
		if k == settingOwner || k == settingHolidays {
			return upgradebot.Errorf(upgradebot.EINVALID, "%q has a command of its own.", k)
		}
		c, err := upgradebot.ValidateSetting(k, v)
		if err != nil {
			return err
		}
		if strings.HasPrefix(k, upgradebot.SettingSchedulePrefix) {
			if err := cronspec.Check(c); err != nil {
				return err
			}
		}
		keys, clean[k] = append(keys, k), c
	}
	sort.Strings(keys)

	return db.write(ctx, "set settings", func(tx *writeTx) error {
		s, err := tx.settings(ctx)
		if err != nil {
			return err
		}
		if err := requireAdmin(s, actor, "change settings"); err != nil {
			return err
		}
		if v, ok := clean[upgradebot.SettingPhases]; ok {
			plan, _ := upgradebot.ParsePhasePlan(v)
			if err := checkPhasesKept(ctx, tx, s.Config().Phases, plan); err != nil {
				return err
			}
		}
		for _, k := range keys {
			old := s.Values[k]
			switch k {
			case settingChannel:
				old = s.Channel
			case settingTimeZone:
				old = s.TimeZone
			}
			if old == clean[k] {
				continue
			}
			if err := setSetting(ctx, tx, actor, "setting.set", k, old, clean[k]); err != nil {
				return err
			}
		}
		return nil
	})
}

// AddAdmin makes user an admin. Admins only; adding an admin again changes
// nothing.
func (db *DB) AddAdmin(ctx context.Context, actor, user string) error {
	return db.write(ctx, "add admin", func(tx *writeTx) error {
		s, err := tx.settings(ctx)
		if err != nil {
			return err
		}
		if err := requireAdmin(s, actor, "add admins"); err != nil {
			return err
		}
		if err := requireUser(user); err != nil {
			return err
		}
		if s.IsAdmin(user) {
			return nil
		}
		if s.IsPartner(user) {
			return upgradebot.Errorf(upgradebot.ECONFLICT, "%s is a partner; someone is an admin or a partner, not both. `/upgrade admin partner remove %s` makes them a member first.",
				upgradebot.Mention(user), upgradebot.Mention(user))
		}
		return addAdmin(ctx, tx, actor, user)
	})
}

// RemoveAdmin takes admin rights from user. Admins only; ENOTFOUND if user
// is not an admin, ECONFLICT if they are the last one.
func (db *DB) RemoveAdmin(ctx context.Context, actor, user string) error {
	return db.write(ctx, "remove admin", func(tx *writeTx) error {
		s, err := tx.settings(ctx)
		if err != nil {
			return err
		}
		if err := requireAdmin(s, actor, "remove admins"); err != nil {
			return err
		}
		if !s.IsAdmin(user) {
			return upgradebot.Errorf(upgradebot.ENOTFOUND, "%s is not an admin.", upgradebot.Mention(user))
		}
		if len(s.Admins) == 1 {
			return upgradebot.Errorf(upgradebot.ECONFLICT, "%s is the last admin; add another admin first.", upgradebot.Mention(user))
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM admins WHERE user_id = ?`, user); err != nil {
			return err
		}
		return tx.audit(ctx, actor, "admin.remove", "admin", 0, adminAudit{user}, nil)
	})
}

// SetAway records an away window: anyone may set their own, admins anyone's.
// It sets a's ID, CreatedBy and CreatedAt.
func (db *DB) SetAway(ctx context.Context, actor string, a *upgradebot.Away) error {
	return db.write(ctx, "set away", func(tx *writeTx) error {
		return setAway(ctx, tx, actor, a)
	})
}

// ClearAway removes user's current and future away windows and says how
// many it removed: anyone may clear their own, admins anyone's.
func (db *DB) ClearAway(ctx context.Context, actor, user string) (int, error) {
	return writeValue(ctx, db, "clear away", func(tx *writeTx) (int, error) {
		if err := requireActor(actor); err != nil {
			return 0, err
		}
		s, err := tx.settings(ctx)
		if err != nil {
			return 0, err
		}
		if user != actor {
			if err := requireAdmin(s, actor, "clear someone else's away window"); err != nil {
				return 0, err
			}
		}
		windows, err := findAway(ctx, tx, tx.today(s))
		if err != nil {
			return 0, err
		}
		n := 0
		for _, a := range windows {
			if a.User != user {
				continue
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM away WHERE id = ?`, a.ID); err != nil {
				return 0, err
			}
			if err := tx.audit(ctx, actor, "away.clear", "away", a.ID, a, nil); err != nil {
				return 0, err
			}
			n++
		}
		return n, nil
	})
}

// FindAway returns the away windows that end on or after from (all of them
// for the zero Date), by start day.
func (db *DB) FindAway(ctx context.Context, from upgradebot.Date) ([]upgradebot.Away, error) {
	a, err := findAway(ctx, db.db, from)
	return a, wrap("find away", err)
}

// RememberPeople records the display names seen in Slack. Names are not
// changes anyone made, so they are not audited; an unchanged name is not
// written at all. People without a name are skipped.
func (db *DB) RememberPeople(ctx context.Context, people []upgradebot.Person) error {
	for _, p := range people {
		if !upgradebot.ValidUserID(p.ID) {
			return upgradebot.Errorf(upgradebot.EINVALID, "%q is not a Slack user id.", p.ID)
		}
		if strings.TrimSpace(p.Name) != "" {
			if err := upgradebot.ValidateTitle("name", p.Name); err != nil {
				return err
			}
		}
	}
	if len(people) == 0 {
		return nil
	}

	return db.write(ctx, "remember people", func(tx *writeTx) error {
		tx.harmless() // the same names again change nothing
		for _, p := range people {
			if strings.TrimSpace(p.Name) == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO people (user_id, name, updated_at) VALUES (?, ?, ?)
				ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at
				WHERE people.name <> excluded.name`,
				p.ID, p.Name, formatTime(tx.now)); err != nil {
				return err
			}
		}
		return nil
	})
}

// People returns display names by user id.
func (db *DB) People(ctx context.Context) (map[string]string, error) {
	people, err := peopleNames(ctx, db.db)
	return people, wrap("people", err)
}

// peopleNames reads the display names the desk knows, by user id.
func peopleNames(ctx context.Context, q queryer) (map[string]string, error) {
	list, err := queryAll(ctx, q, scanKeyValue, `SELECT user_id, name FROM people`)
	if err != nil {
		return nil, fmt.Errorf("read people: %w", err)
	}
	people := make(map[string]string, len(list))
	for _, p := range list {
		people[p.key] = p.value
	}
	return people, nil
}

// keyValue is a row of two text columns.
type keyValue struct{ key, value string }

func scanKeyValue(s scanner) (keyValue, error) {
	var kv keyValue
	err := s.Scan(&kv.key, &kv.value)
	return kv, err
}

func readSettings(ctx context.Context, q queryer) (upgradebot.Settings, error) {
	var s upgradebot.Settings
	values, err := queryAll(ctx, q, scanKeyValue, `SELECT key, value FROM settings`)
	if err != nil {
		return s, fmt.Errorf("read settings: %w", err)
	}
	for _, kv := range values {
		switch kv.key {
		case settingOwner:
			s.Owner = kv.value
		case settingChannel:
			s.Channel = kv.value
		case settingTimeZone:
			s.TimeZone = kv.value
		default:
			if s.Values == nil {
				s.Values = map[string]string{}
			}
			s.Values[kv.key] = kv.value
		}
	}
	if s.Admins, err = queryAll(ctx, q, scanString, `SELECT user_id FROM admins ORDER BY user_id`); err != nil {
		return s, fmt.Errorf("read admins: %w", err)
	}
	sort.Strings(s.Admins)
	if s.Partners, err = queryAll(ctx, q, scanString, `SELECT user_id FROM partners ORDER BY user_id`); err != nil {
		return s, fmt.Errorf("read partners: %w", err)
	}
	if s.Sites, err = queryAll(ctx, q, scanSite, `SELECT key, name, created_by, created_at FROM sites ORDER BY key`); err != nil {
		return s, fmt.Errorf("read sites: %w", err)
	}
	return s, nil
}

// phasePlan reads the team's cycle: the stored phases setting, or the
// default plan when it is unset.
func phasePlan(ctx context.Context, q queryer) (upgradebot.PhasePlan, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, upgradebot.SettingPhases).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return upgradebot.DefaultPhasePlan(), nil
	} else if err != nil {
		return nil, fmt.Errorf("read phases: %w", err)
	}
	return upgradebot.Settings{Values: map[string]string{upgradebot.SettingPhases: v}}.Config().Phases, nil
}

// phaseUses counts, for one phase name, what refers to it.
type phaseUses struct {
	phases, items, tasks, gates int
}

// checkPhasesKept refuses (ECONFLICT) a new plan that drops a phase of the
// old one still named by a recorded release phase, a checklist item, an
// open task or a pending gate.
func checkPhasesKept(ctx context.Context, tx *writeTx, old, plan upgradebot.PhasePlan) error {
	var msgs []string
	for _, ph := range old.Phases() {
		if plan.Has(ph) {
			continue
		}
		var u phaseUses
		for _, c := range []struct {
			n     *int
			query string
		}{
			{&u.phases, `SELECT COUNT(*) FROM release_phases WHERE phase = ?`},
			{&u.items, `SELECT COUNT(*) FROM checklist WHERE phase = ?`},
			{&u.tasks, `SELECT COUNT(*) FROM tasks WHERE phase = ? AND status = 'open'`},
			{&u.gates, `SELECT COUNT(*) FROM decisions WHERE phase = ? AND status = 'pending'`},
		} {
			if err := tx.QueryRowContext(ctx, c.query, string(ph)).Scan(c.n); err != nil {
				return fmt.Errorf("count uses of phase %s: %w", ph, err)
			}
		}
		var parts []string
		for _, c := range []struct {
			n    int
			what string
		}{
			{u.phases, "recorded release phase"}, {u.items, "checklist item"},
			{u.tasks, "open task"}, {u.gates, "pending gate decision"},
		} {
			if c.n == 1 {
				parts = append(parts, "1 "+c.what)
			} else if c.n > 1 {
				parts = append(parts, fmt.Sprintf("%d %ss", c.n, c.what))
			}
		}
		if len(parts) > 0 {
			msgs = append(msgs, fmt.Sprintf("%s is used by %s; keep the name.", ph, andList(parts)))
		}
	}
	// The last phase is the go-live: which releases are live is read from
	// it over all history, so it stays last once a release went live with it.
	if last := old.Last(); plan.Last() != last {
		var live int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM release_phases WHERE phase = ? AND actual_end IS NOT NULL`,
			string(last)).Scan(&live); err != nil {
			return fmt.Errorf("count releases live: %w", err)
		}
		if live > 0 {
			msgs = append(msgs, fmt.Sprintf("%s must stay the last phase: %s went live when it was done. Add phases before it.",
				last, map[bool]string{true: "1 release", false: fmt.Sprintf("%d releases", live)}[live == 1]))
		}
	}
	if len(msgs) > 0 {
		return upgradebot.Errorf(upgradebot.ECONFLICT, "The phases were not changed: %s", strings.Join(msgs, " "))
	}
	return nil
}

// andList joins "a", "a and b", "a, b and c".
func andList(parts []string) string {
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// setSetting writes one setting and audits the change.
func setSetting(ctx context.Context, tx *writeTx, actor, action, key, old, value string) error {
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value); err != nil {
		return fmt.Errorf("set %s: %w", key, err)
	}
	var before any
	if old != "" {
		before = settingAudit{key, old}
	}
	return tx.audit(ctx, actor, action, "setting", 0, before, settingAudit{key, value})
}

func addAdmin(ctx context.Context, tx *writeTx, actor, user string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO admins (user_id, added_by, added_at) VALUES (?, ?, ?)`,
		user, actor, formatTime(tx.now)); err != nil {
		return fmt.Errorf("add admin %s: %w", user, err)
	}
	return tx.audit(ctx, actor, "admin.add", "admin", 0, nil, adminAudit{user})
}

// requireAdmin refuses actor unless they are an admin; what says what they
// tried, as in "Only admins can <what>."
func requireAdmin(s upgradebot.Settings, actor, what string) error {
	if actor != "" && s.IsAdmin(actor) {
		return nil
	}
	if s.IsPartner(actor) {
		return upgradebot.PartnerRefusal(what, s.AdminsDoRest())
	}
	if len(s.Admins) == 0 {
		return upgradebot.Errorf(upgradebot.EFORBIDDEN, "Only admins can %s, and none is set yet; whoever runs the bot names the first.", what)
	}
	return upgradebot.Errorf(upgradebot.EFORBIDDEN, "Only admins can %s. Admins: %s.", what, mentions(s.Admins))
}

func setAway(ctx context.Context, tx *writeTx, actor string, a *upgradebot.Away) error {
	if err := requireActor(actor); err != nil {
		return err
	}
	s, err := tx.settings(ctx)
	if err != nil {
		return err
	}
	if a.User != actor {
		if err := requireAdmin(s, actor, "set someone else's away window"); err != nil {
			return err
		}
	}
	if err := a.Validate(); err != nil {
		return err
	}
	if err := requireUser(a.User); err != nil {
		return err
	}
	if err := requireUserOrNobody(a.Delegate); err != nil {
		return upgradebot.Errorf(upgradebot.EINVALID, "The delegate %s", upgradebot.ErrorMessage(err))
	}
	if s.IsPartner(a.Delegate) {
		return upgradebot.Errorf(upgradebot.ECONFLICT, "%s is a partner, and a partner cannot decide, so cannot be the delegate; name someone in the team.", upgradebot.Mention(a.Delegate))
	}
	if today := tx.today(s); a.To.Before(today) {
		return upgradebot.Errorf(upgradebot.EINVALID, "That away window ended on %s, before today (%s).", a.To.Human(), today.Human())
	}
	a.CreatedBy, a.CreatedAt = actor, tx.now
	if err := tx.QueryRowContext(ctx, `
		INSERT INTO away (user_id, from_day, to_day, delegate, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?)
		RETURNING id`,
		a.User, a.From.String(), a.To.String(), a.Delegate, a.CreatedBy, formatTime(a.CreatedAt),
	).Scan(&a.ID); err != nil {
		return fmt.Errorf("insert away window: %w", err)
	}
	return tx.audit(ctx, actor, "away.set", "away", a.ID, nil, a)
}

func findAway(ctx context.Context, q queryer, from upgradebot.Date) ([]upgradebot.Away, error) {
	query := `SELECT id, user_id, from_day, to_day, delegate, created_by, created_at FROM away`
	var args []any
	if !from.IsZero() {
		query += ` WHERE to_day >= ?`
		args = append(args, from.String())
	}
	query += ` ORDER BY from_day, id`
	list, err := queryAll(ctx, q, scanAway, query, args...)
	if err != nil {
		return nil, fmt.Errorf("find away: %w", err)
	}
	return list, nil
}

func scanAway(s scanner) (upgradebot.Away, error) {
	var a upgradebot.Away
	var fromDay, toDay, createdAt string
	if err := s.Scan(&a.ID, &a.User, &fromDay, &toDay, &a.Delegate, &a.CreatedBy, &createdAt); err != nil {
		return a, err
	}
	var err error
	if a.From, err = upgradebot.ParseDate(fromDay); err != nil {
		return a, fmt.Errorf("bad date %q in database", fromDay)
	}
	if a.To, err = upgradebot.ParseDate(toDay); err != nil {
		return a, fmt.Errorf("bad date %q in database", toDay)
	}
	a.CreatedAt, err = parseTime(createdAt)
	return a, err
}
