package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"

	"github.com/upgradebot/upgradebot/store"
)

// copyConfig holds the flags of copy.
type copyConfig struct {
	From string // -from: the desk to copy
	To   string // -to: the new, empty database
}

// copyFlags registers copy's flags on fs.
func (m *Main) copyFlags(fs *flag.FlagSet, cmd string) {
	if cmd != "copy" {
		return
	}
	fs.StringVar(&m.Copy.From, "from", "", "the desk to copy: a SQLite `FILE` (or a postgres:// URL), first migrated to this version's schema")
	fs.StringVar(&m.Copy.To, "to", "", "the new desk: a postgres://… `URL` or a new SQLite file; one holding any desk data is refused")
}

// copyDesk copies the desk at -from into the new database at -to (see
// store.Copy) and prints each table's rows and a summary.
func (m *Main) copyDesk(ctx context.Context) error {
	from, to := m.Copy.From, m.Copy.To
	switch {
	case from == "" || to == "":
		return usageError{"copy needs both desks, e.g. upgradebot copy -from upgradebot.db -to postgres://host/db"}
	case from == to:
		return usageError{"-from and -to are the same database; -to must be a new, empty one"}
	}
	if !store.IsPostgres(from) {
		// Open would create a missing file, and copy an empty desk.
		if _, err := os.Stat(from); errors.Is(err, fs.ErrNotExist) {
			return usageError{fmt.Sprintf("-from: there is no desk at %s", from)}
		} else if err != nil {
			return usageError{fmt.Sprintf("-from: %v", err)}
		}
	}
	src, err := store.Open(ctx, from, m.Clock)
	if err != nil {
		return fmt.Errorf("open -from %s: %w", shownDB(from), err)
	}
	defer src.Close()
	dst, err := store.OpenEmpty(ctx, to, m.Clock)
	if err != nil {
		return m.refuse("copy", err)
	}
	defer dst.Close()
	r, err := store.Copy(ctx, dst, src)
	if err != nil {
		return m.refuse("copy", err)
	}
	width := 0
	for _, t := range r.Tables {
		width = max(width, len(t.Table))
	}
	for _, t := range r.Tables {
		fmt.Fprintf(m.Stdout, "  %-*s %8d\n", width, t.Table, t.Rows)
	}
	fmt.Fprintf(m.Stdout, "copied %d rows in %d tables from %s to %s; every table's rows counted on both\n",
		r.Rows(), len(r.Tables), src, dst)
	return nil
}
