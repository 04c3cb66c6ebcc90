package store

import (
	"database/sql/driver"
	"slices"
	"strings"
	"testing"
)

func TestPgSQL(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		names    []string
	}{
		{`SELECT a FROM t WHERE b = ? AND c = ?`, `SELECT a FROM t WHERE b = $1 AND c = $2`, nil},
		{`WHERE due < ?1 LIMIT ?2 OFFSET ?1`, `WHERE due < $1 LIMIT $2 OFFSET $1`, nil},
		{`WHERE due < @today OR due > @window AND x = @today`, `WHERE due < $1 OR due > $2 AND x = $1`, []string{"today", "window"}},
		{`SELECT '?', "a?b", 'it''s ?' FROM t WHERE x = ?`, `SELECT '?', "a?b", 'it''s ?' FROM t WHERE x = $1`, nil},
		{`FROM tasks INDEXED BY tasks_closed_created WHERE +closed_at IS NULL AND (+t.due < ?)`, `FROM tasks  WHERE closed_at IS NULL AND (t.due < $1)`, nil},
		{`SELECT COALESCE(MAX(position), 0) + 1, a +1`, `SELECT COALESCE(MAX(position), 0) + 1, a +1`, nil},
		{`SELECT '#' || id, 'user@host'`, `SELECT '#' || id, 'user@host'`, nil},
	} {
		got := pgSQL(tt.in)
		if got.text != tt.want || !slices.Equal(got.names, tt.names) {
			t.Errorf("pgSQL(%q) = %q %q, want %q %q", tt.in, got.text, got.names, tt.want, tt.names)
		}
	}
	q := pgSQL(`WHERE a = @b AND c = @a AND d = ?`)
	args := q.args([]driver.NamedValue{{Name: "a", Value: true}, {Name: "b", Value: "x"}})
	if len(args) != 2 || args[0].Value != "x" || args[1].Value != int64(1) || args[1].Ordinal != 2 {
		t.Errorf("named args: %+v", args)
	}
}

// FuzzPgSQL: any text reads without a panic, and no ? is left outside
// quotes.
func FuzzPgSQL(f *testing.F) {
	f.Add(`SELECT a FROM t WHERE b = ? AND c = ?1 AND d = @e`)
	f.Add(`'unterminated ? "x`)
	f.Add(`INDEXED BY`)
	f.Fuzz(func(t *testing.T, in string) {
		out := pgSQL(in).text
		quoted := byte(0)
		for i := 0; i < len(out); i++ {
			switch c := out[i]; {
			case quoted != 0:
				if c == quoted {
					quoted = 0
				}
			case c == '\'' || c == '"':
				quoted = c
			case c == '?':
				t.Fatalf("pgSQL(%q) = %q: a ? is left", in, out)
			}
		}
		if strings.Count(in, "'")%2 == 0 && strings.Count(in, `"`) == 0 && len(out) > len(in)*4+8 {
			t.Fatalf("pgSQL(%q) grew to %q", in, out)
		}
	})
}
