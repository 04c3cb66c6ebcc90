package bot

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/upgradebot/upgradebot"
)

// noisy fields change on every write and say nothing to a reader.
// The row's own time says when a thing was closed or decided.
var noisy = []string{"updated_at", "created_at", "id", "closed_at", "decided_at"}

// changes summarises an audit row's before and after JSON as the fields that
// changed: "assignee: <@U1> → <@U2>, due: 2026-12-01 → 2026-12-05". A value
// that is not a JSON object is shown as is.
func changes(before, after string) string {
	var b, a map[string]any
	if before != "" && json.Unmarshal([]byte(before), &b) != nil {
		return upgradebot.Clip(upgradebot.Escape(before), 80)
	}
	if after != "" && json.Unmarshal([]byte(after), &a) != nil {
		return upgradebot.Clip(upgradebot.Escape(after), 80)
	}
	if b == nil && a == nil {
		return ""
	}
	if b == nil {
		if k, v, ok := keyValue(a); ok {
			return fmt.Sprintf("%s = %s", render(k), render(v))
		}
		for _, k := range []string{"title", "question", "key", "name", "user"} {
			if v, ok := a[k]; ok {
				return "created " + render(v)
			}
		}
		return "created"
	}
	if a == nil {
		for _, k := range []string{"title", "question", "key", "name", "user"} {
			if v, ok := b[k]; ok {
				return "removed " + render(v)
			}
		}
		return "removed"
	}
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out []string
	for _, k := range keys {
		if slices.Contains(noisy, k) {
			continue
		}
		bv, av := render(b[k]), render(a[k])
		if bv != av {
			out = append(out, fmt.Sprintf("%s: %s → %s", k, bv, av))
		}
	}
	if len(out) > 5 {
		out = append(out[:5], "…")
	}
	return strings.Join(out, ", ")
}

// refusal summarises a phi.refused row: where and what kind, never the
// text (the row never holds it).
func refusal(after string) string {
	var r upgradebot.PHIRefusal
	if json.Unmarshal([]byte(after), &r) != nil || r.Field == "" {
		return ""
	}
	return "refused " + upgradebot.Escape(r.String())
}

// keyValue reads a setting row: exactly {"key": …, "value": …}.
func keyValue(m map[string]any) (k, v any, ok bool) {
	k, hasK := m["key"]
	v, hasV := m["value"]
	return k, v, hasK && hasV && len(m) == 2
}

func render(v any) string {
	switch v := v.(type) {
	case nil:
		return "none"
	case string:
		if v == "" {
			return "none"
		}
		if upgradebot.ValidUserID(v) {
			return upgradebot.Mention(v)
		}
		return upgradebot.Escape(upgradebot.Clip(v, 80))
	case map[string]any, []any:
		j, _ := json.Marshal(v)
		return upgradebot.Escape(upgradebot.Clip(string(j), 60))
	}
	return fmt.Sprint(v)
}
