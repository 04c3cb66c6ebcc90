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

// Moving a desk: Copy copies every row of every table of one desk into
// another, empty one, SQLite or PostgreSQL either way. It knows no table by
// name: it lists the source's tables, reads each whole, ordered by its
// primary key, and inserts the rows into the same columns on the target, in
// one transaction, so the target has the whole desk or nothing. Both desks
// are at this program's schema (Open and OpenEmpty migrate them), whose
// tables and columns are the same on both backends.

// CopyReport is what Copy copied: each table of the desk, by name, and its
// rows.
type CopyReport struct {
	Tables []TableRows
}

// TableRows is how many rows a table holds.
type TableRows struct {
	Table string
	Rows  int64
}

// Rows is how many rows were copied in all.
func (r CopyReport) Rows() int64 {
	var n int64
	for _, t := range r.Tables {
		n += t.Rows
	}
	return n
}

// copyBatchArgs is about how many values one INSERT of Copy carries: well
// under SQLite's limit on a statement's parameters (32766) and
// PostgreSQL's (65535), and enough rows that a large table is not a round
// trip a row.
const copyBatchArgs = 4000

// OpenEmpty opens the database at dsn, as Open does, for Copy to fill. It
// refuses (ECONFLICT) a database any of whose tables holds a row before it
// touches the schema, so a desk in use is left exactly as it was; then it
// brings the schema up to date. A SQLite file that does not exist is
// created.
func OpenEmpty(ctx context.Context, dsn string, clock upgradebot.Clock) (*DB, error) {
	db, err := open(ctx, dsn, clock)
	if err != nil {
		return nil, err
	}
	tables, err := listTables(ctx, db.db, db.pg)
	if err == nil {
		err = db.refuseData(ctx, db.db, tables)
	}
	if err == nil {
		err = db.Migrate(ctx)
	}
	if err != nil {
		db.Close()
		return nil, wrap("open "+db.String(), err)
	}
	return db, nil
}

// Copy copies the whole desk src into dst, which must hold no rows (else
// ECONFLICT, and nothing is written). It reads one snapshot of src and
// writes dst in one transaction holding dst's write lock, with foreign
// keys checked at the commit (outbox and decisions refer to each other).
// Before it commits, it checks that every table of dst holds as many rows
// as src's. Ids go on from where src's did: the next task, decision or
// message on dst gets a new id, and an id src handed out and removed is
// not handed out again where src would not have.
//
// Run it on a dst just opened with OpenEmpty, before anything else uses
// it, and on a src nothing writes to meanwhile: what src commits after
// Copy's snapshot is not copied.
func Copy(ctx context.Context, dst, src *DB) (CopyReport, error) {
	if dst.String() == src.String() {
		return CopyReport{}, upgradebot.Errorf(upgradebot.EINVALID, "The source and the target are the same database (%s).", src)
	}
	r, err := dst.copyFrom(ctx, src)
	if err != nil {
		return CopyReport{}, wrap("copy from "+src.String()+" to "+dst.String(), err)
	}
	return r, nil
}

func (db *DB) copyFrom(ctx context.Context, src *DB) (CopyReport, error) {
	if err := db.lockWriter(ctx); err != nil {
		return CopyReport{}, err
	}
	defer db.unlockWriter()
	in, err := src.read(ctx)
	if err != nil {
		return CopyReport{}, err
	}
	defer in.Rollback()
	out, err := db.beginWrite(ctx)
	if err != nil {
		return CopyReport{}, err
	}
	defer out.Rollback()
	deferKeys := `PRAGMA defer_foreign_keys = ON` // until the commit
	if db.pg {
		deferKeys = `SET CONSTRAINTS ALL DEFERRED`
	}
	if _, err := out.ExecContext(ctx, deferKeys); err != nil {
		return CopyReport{}, fmt.Errorf("defer foreign keys: %w", err)
	}

	tables, err := listTables(ctx, in, src.pg)
	if err != nil {
		return CopyReport{}, fmt.Errorf("source: %w", err)
	}
	have, err := listTables(ctx, out, db.pg)
	if err != nil {
		return CopyReport{}, fmt.Errorf("target: %w", err)
	}
	var missing []string
	for _, t := range tables {
		if !slices.Contains(have, t) {
			missing = append(missing, t)
		}
	}
	if len(missing) > 0 {
		return CopyReport{}, fmt.Errorf("the target has no table %s: its schema is not the source's", strings.Join(missing, ", "))
	}
	if err := db.refuseData(ctx, out, have); err != nil {
		return CopyReport{}, err
	}

	var r CopyReport
	for _, t := range tables {
		n, err := copyTable(ctx, out, in, src.pg, t)
		if err != nil {
			return CopyReport{}, fmt.Errorf("table %s: %w", t, err)
		}
		r.Tables = append(r.Tables, TableRows{Table: t, Rows: n})
	}
	for _, t := range r.Tables {
		var want, got int64
		if err := in.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+quoteIdent(t.Table)).Scan(&want); err != nil {
			return CopyReport{}, fmt.Errorf("count %s in the source: %w", t.Table, err)
		}
		if err := out.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+quoteIdent(t.Table)).Scan(&got); err != nil {
			return CopyReport{}, fmt.Errorf("count %s in the target: %w", t.Table, err)
		}
		if got != want || got != t.Rows {
			return CopyReport{}, fmt.Errorf("table %s: the source has %d rows, %d were copied and the target has %d; nothing was written", t.Table, want, t.Rows, got)
		}
	}
	high, err := highestIDs(ctx, in, src.pg)
	if err != nil {
		return CopyReport{}, fmt.Errorf("source ids: %w", err)
	}
	if err := db.continueIDs(ctx, out, high); err != nil {
		return CopyReport{}, err
	}
	if err := out.Commit(); err != nil {
		return CopyReport{}, fmt.Errorf("commit: %w", err)
	}
	// The planner's statistics now, not when autovacuum next looks: a
	// desk's first digest on a copy of 100,000 tasks takes 12 ms with them
	// and 110 ms without (docs/benchmarks.md). SQLite's planner needs none.
	if db.pg {
		if _, err := db.db.ExecContext(ctx, `ANALYZE`); err != nil {
			return r, fmt.Errorf("analyze the copy (it is committed): %w", err)
		}
	}
	return r, nil
}

// copyTable copies every row of table from in to out, in the order of its
// primary key, and returns how many it copied.
func copyTable(ctx context.Context, out, in *sql.Tx, srcPG bool, table string) (int64, error) {
	key, err := primaryKey(ctx, in, srcPG, table)
	if err != nil {
		return 0, fmt.Errorf("primary key: %w", err)
	}
	query := `SELECT * FROM ` + quoteIdent(table)
	switch {
	case len(key) > 0:
		query += ` ORDER BY ` + quoteIdents(key)
	case !srcPG:
		query += ` ORDER BY rowid`
	}
	rows, err := in.QueryContext(ctx, query)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	ins := &inserter{tx: out, table: table, cols: cols, batch: max(1, copyBatchArgs/len(cols))}
	defer ins.close()
	row := make([]any, len(cols))
	dest := make([]any, len(cols))
	for i := range row {
		dest[i] = &row[i]
	}
	var n int64
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return n, err
		}
		if err := ins.add(ctx, row); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	return n, ins.flush(ctx)
}

// inserter inserts rows into a table a batch at a time.
type inserter struct {
	tx        *sql.Tx
	table     string
	cols      []string
	batch     int   // rows an INSERT of a whole batch carries
	args      []any // the rows not inserted yet, one after the other
	many, one *sql.Stmt
}

// insert is the INSERT of rows rows.
func (ins *inserter) insert(rows int) string {
	values := "(" + placeholders(len(ins.cols)) + ")"
	return `INSERT INTO ` + quoteIdent(ins.table) + ` (` + quoteIdents(ins.cols) + `) VALUES ` +
		strings.TrimSuffix(strings.Repeat(values+", ", rows), ", ")
}

// add queues row, and inserts the queue when it makes a batch.
func (ins *inserter) add(ctx context.Context, row []any) error {
	ins.args = append(ins.args, row...)
	if len(ins.args) < ins.batch*len(ins.cols) {
		return nil
	}
	if ins.many == nil {
		stmt, err := ins.tx.PrepareContext(ctx, ins.insert(ins.batch))
		if err != nil {
			return err
		}
		ins.many = stmt
	}
	if _, err := ins.many.ExecContext(ctx, ins.args...); err != nil {
		return err
	}
	ins.args = ins.args[:0]
	return nil
}

// flush inserts the rows left, one at a time: a statement per number of
// rows would be as many statements to prepare.
func (ins *inserter) flush(ctx context.Context) error {
	if len(ins.args) == 0 {
		return nil
	}
	stmt, err := ins.tx.PrepareContext(ctx, ins.insert(1))
	if err != nil {
		return err
	}
	ins.one = stmt
	for row := range slices.Chunk(ins.args, len(ins.cols)) {
		if _, err := stmt.ExecContext(ctx, row...); err != nil {
			return err
		}
	}
	ins.args = ins.args[:0]
	return nil
}

func (ins *inserter) close() {
	for _, stmt := range []*sql.Stmt{ins.many, ins.one} {
		if stmt != nil {
			stmt.Close()
		}
	}
}

// listTables lists the desk's tables, by name: every table but the
// migrations' bookkeeping (and SQLite's own).
func listTables(ctx context.Context, q queryer, pg bool) ([]string, error) {
	query := `SELECT name FROM sqlite_master
		WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name <> 'migrations'`
	if pg {
		query = `SELECT table_name::text FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'migrations'`
	}
	tables, err := queryAll(ctx, q, scanString, query)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	slices.Sort(tables)
	return tables, nil
}

// refuseData refuses (ECONFLICT) a database any of whose tables holds a
// row.
func (db *DB) refuseData(ctx context.Context, q queryer, tables []string) error {
	var full []string
	for _, t := range tables {
		var one int
		err := q.QueryRowContext(ctx, `SELECT 1 FROM `+quoteIdent(t)+` LIMIT 1`).Scan(&one)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("read %s: %w", t, err)
		default:
			full = append(full, t)
		}
	}
	if len(full) == 0 {
		return nil
	}
	named := strings.Join(full, ", ")
	if len(full) > 6 {
		named = fmt.Sprintf("%s and %d more", strings.Join(full[:5], ", "), len(full)-5)
	}
	return upgradebot.Errorf(upgradebot.ECONFLICT,
		"%s is not empty (rows in %s): copy a desk only into a new, empty database. Nothing was written.", db, named)
}

// primaryKey returns the columns of table's primary key, in order; none
// for a table without one.
func primaryKey(ctx context.Context, q queryer, pg bool, table string) ([]string, error) {
	if pg {
		return queryAll(ctx, q, scanString, `
			SELECT a.attname::text FROM pg_index i
			JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
			WHERE i.indrelid = to_regclass(?) AND i.indisprimary
			ORDER BY array_position(i.indkey::int2[], a.attnum)`, quoteIdent(table))
	}
	return queryAll(ctx, q, scanString, `SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk`, table)
}

// highestIDs returns, by table, the highest id the database has handed
// out, where it keeps one past the rows' own: SQLite's AUTOINCREMENT
// tables (sqlite_sequence) and PostgreSQL's identity columns.
func highestIDs(ctx context.Context, q queryer, pg bool) (map[string]int64, error) {
	high := map[string]int64{}
	if pg {
		tables, err := identityTables(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, t := range tables {
			var n sql.NullInt64
			if err := q.QueryRowContext(ctx, `SELECT pg_sequence_last_value(pg_get_serial_sequence(?, 'id')::regclass)`,
				quoteIdent(t)).Scan(&n); err != nil {
				return nil, fmt.Errorf("%s: %w", t, err)
			}
			high[t] = n.Int64 // NULL: none handed out yet
		}
		return high, nil
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_sequence'`).Scan(&n); err != nil || n == 0 {
		return high, err
	}
	rows, err := q.QueryContext(ctx, `SELECT name, seq FROM sqlite_sequence`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var t string
		var seq int64
		if err := rows.Scan(&t, &seq); err != nil {
			return nil, err
		}
		high[t] = seq
	}
	return high, rows.Err()
}

// identityTables lists the tables whose id is an identity column (on
// PostgreSQL).
func identityTables(ctx context.Context, q queryer) ([]string, error) {
	return queryAll(ctx, q, scanString, `
		SELECT table_name::text FROM information_schema.columns
		WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'
		ORDER BY 1`)
}

// continueIDs makes the ids the copy's tables hand out next go on past the
// copied rows' and past high (the source's highestIDs): on PostgreSQL it
// sets each identity's sequence; on SQLite, sqlite_sequence of each
// AUTOINCREMENT table (the others take the next id past their rows'
// anyway).
func (db *DB) continueIDs(ctx context.Context, tx *sql.Tx, high map[string]int64) error {
	if !db.pg {
		auto, err := queryAll(ctx, tx, scanString, `
			SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%AUTOINCREMENT%'`)
		if err != nil {
			return fmt.Errorf("list AUTOINCREMENT tables: %w", err)
		}
		for _, t := range auto {
			n := high[t]
			if n == 0 {
				continue
			}
			res, err := tx.ExecContext(ctx, `UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?`, n, t)
			if err != nil {
				return fmt.Errorf("ids of %s: %w", t, err)
			}
			if k, err := res.RowsAffected(); err != nil {
				return fmt.Errorf("ids of %s: %w", t, err)
			} else if k == 0 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)`, t, n); err != nil {
					return fmt.Errorf("ids of %s: %w", t, err)
				}
			}
		}
		return nil
	}
	tables, err := identityTables(ctx, tx)
	if err != nil {
		return fmt.Errorf("list identity columns: %w", err)
	}
	for _, t := range tables {
		var last sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT MAX(id) FROM `+quoteIdent(t)).Scan(&last); err != nil {
			return fmt.Errorf("ids of %s: %w", t, err)
		}
		n := max(last.Int64, high[t])
		if n == 0 {
			continue // nothing handed out: the sequence starts at 1
		}
		if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence(?, 'id'), ?)`, quoteIdent(t), n); err != nil {
			return fmt.Errorf("ids of %s: %w", t, err)
		}
	}
	return nil
}

// quoteIdent quotes a table's or column's name for SQL ("user" is a
// column of workload_weeks, and a keyword).
func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// quoteIdents is names quoted and separated by commas.
func quoteIdents(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quoteIdent(n)
	}
	return strings.Join(q, ", ")
}
