// Package store implements upgradebot.Desk on a SQLite file (the pure-Go
// modernc.org/sqlite driver) or on PostgreSQL (pgx): the same Go and the
// same SQL on both, each backend with its own schema; postgres.go says what
// differs.
//
// Every method that changes data runs in one write transaction (DB.write)
// that reads the clock once, writes an append-only audit row and queues the
// outbox messages the change causes, so a change, its audit trail and its
// notices are committed together or not at all. Concurrent changes share a
// transaction and its one fsync (group commit), each in a savepoint of its
// own: one that fails leaves the others be, and none is reported done
// before the commit that holds it.
//
// The same transaction queues an App Home refresh for each person whose App
// Home the change alters, folded into one already pending for them:
//   - whoever made the change: the actor of each audit row it writes;
//   - the assignee of each task it creates (also in bulk or by import),
//     assigns (before and after), completes, cancels, dates, notes, edits,
//     reopens or undoes a change to (before and after), and of a new
//     clean-up's first occurrence;
//   - the requester and the person routed to of each decision or phase
//     gate it requests or decides.
//
// Changes the bot makes on its own (as upgradebot.SystemActor: scheduled
// occurrences, nudges, escalations, reminders), outbox delivery
// bookkeeping, Slack events and trigger ids, health checks, job runs and
// display names refresh nobody.
package store

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/upgradebot/upgradebot"

	"modernc.org/sqlite" // also registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

// busyTimeout is how long a statement waits for another process's lock.
const busyTimeout = 10 * time.Second

// maxIdleConns is how many idle connections a DB keeps open.
const maxIdleConns = 16

// migrationFS holds each backend's migrations: migrations for SQLite,
// migrations_pg for PostgreSQL.
//
//go:embed migrations/*.sql migrations_pg/*.sql
var migrationFS embed.FS

var _ upgradebot.Desk = (*DB)(nil)

// DB is the desk on a SQLite file or a PostgreSQL database (see
// postgres.go). It is safe for concurrent use.
type DB struct {
	db    *sql.DB
	clock upgradebot.Clock

	pg      bool   // PostgreSQL, not SQLite
	lockKey int64  // PostgreSQL: the advisory lock writers take turns on
	where   string // where the database is (no password): the file, or host:port/database and schema

	// writer admits one write transaction of this process at a time. Waiting
	// goroutines queue on it in order instead of polling SQLite's write lock
	// with busy_timeout's back-off, which is slow and unfair under load;
	// busy_timeout still arbitrates between processes.
	writer chan struct{}

	// queue holds the calls of write not yet taken into a transaction; the
	// goroutine that holds writer takes them in order (see write).
	queueMu sync.Mutex
	queue   []*writeCall

	// commits counts the transactions write committed, and committed the
	// calls they held (tests and benchmarks read them).
	commits, committed atomic.Int64
}

// Open opens the desk at dsn and brings its schema up to date: a
// PostgreSQL database if dsn is a postgres:// or postgresql:// URL (see
// IsPostgres), else a SQLite file at that path, created if missing. clock
// is read once per write transaction; nil means the wall clock.
func Open(ctx context.Context, dsn string, clock upgradebot.Clock) (*DB, error) {
	db, err := open(ctx, dsn, clock)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// open opens the database without touching the schema.
func open(ctx context.Context, path string, clock upgradebot.Clock) (*DB, error) {
	if IsPostgres(path) {
		return openPostgres(ctx, path, clock)
	}
	if path == "" {
		return nil, fmt.Errorf("store: open: database path required")
	} else if path == ":memory:" || strings.HasPrefix(path, "file:") {
		// A pool of :memory: connections is a pool of unrelated databases.
		return nil, fmt.Errorf("store: open: %q: give a file path", path)
	}
	if clock == nil {
		clock = upgradebot.SystemClock{}
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(wal)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(FULL)")
	// Savepoint journals (see write) stay in memory instead of being
	// written to a temporary file a page at a time.
	q.Add("_pragma", "temp_store(memory)")
	// Write transactions take the write lock at BEGIN, so they queue on
	// busy_timeout instead of failing with SQLITE_BUSY when they upgrade.
	// Read-only transactions still begin deferred.
	q.Set("_txlock", "immediate")
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()

	connector, err := newStmtConnector(dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	sqldb := sql.OpenDB(connector)
	// Keep the connections concurrent requests open instead of database/sql's
	// two: a new connection applies the pragmas, reads the schema and
	// prepares its statements again, which under a burst of commands cost
	// more than the commands.
	sqldb.SetMaxIdleConns(maxIdleConns)
	if err := ping(ctx, sqldb); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return &DB{db: sqldb, clock: clock, writer: make(chan struct{}, 1), where: path}, nil
}

// String names the database: its kind and where it is (no password).
func (db *DB) String() string { return db.backend() + " " + db.where }

func (db *DB) backend() string {
	if db.pg {
		return "postgres"
	}
	return "sqlite"
}

// Connection describes the database and this process's pool.
func (db *DB) Connection() upgradebot.Connection {
	st := db.db.Stats()
	return upgradebot.Connection{Backend: db.backend(), Where: db.where, Open: st.OpenConnections, InUse: st.InUse, Max: st.MaxOpenConnections}
}

// ping opens the first connection, which applies the DSN's pragmas. Turning
// a new file to WAL needs an exclusive lock that SQLite takes without
// waiting on busy_timeout, so when another process is creating the same
// file at the same moment, try again for as long as busy_timeout would wait.
func ping(ctx context.Context, sqldb *sql.DB) error {
	retry, cancel := context.WithTimeout(ctx, busyTimeout)
	defer cancel()
	for {
		err := sqldb.PingContext(ctx)
		var se *sqlite.Error
		if err == nil || !errors.As(err, &se) || se.Code()&0xff != sqlite3.SQLITE_BUSY {
			return err
		}
		select {
		case <-time.After(10 * time.Millisecond):
		case <-retry.Done():
			return err
		}
	}
}

// Close closes the database.
func (db *DB) Close() error {
	if err := db.db.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT 1`).Scan(&n); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// CheckWrite writes the time of the check to its one row in a write
// transaction of its own, and says in the error's message why that failed.
func (db *DB) CheckWrite(ctx context.Context) error {
	err := db.write(ctx, "check write", func(tx *writeTx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO health_checks (id, checked_at) VALUES (1, ?)
			ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`, formatTime(tx.now))
		return err
	})
	if err == nil {
		return nil
	}
	reason := "the database cannot be written"
	var se *sqlite.Error
	switch {
	case db.pg:
		reason = pgWriteReason(err)
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		reason = "the database is busy: a write waited too long for the lock"
	case errors.As(err, &se):
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_READONLY:
			reason = "the database file is read-only"
		case sqlite3.SQLITE_FULL:
			reason = "the disk is full"
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			reason = "the database is locked by another writer"
		case sqlite3.SQLITE_IOERR:
			reason = "the database file cannot be written (I/O error)"
		}
	}
	return fmt.Errorf("%w: %w", upgradebot.Errorf(upgradebot.EINTERNAL, "%s", reason), err)
}

// Backup writes a consistent copy of the database to dest while the
// database stays in use. It refuses to overwrite an existing file.
func (db *DB) Backup(ctx context.Context, dest string) error {
	if db.pg {
		return upgradebot.Errorf(upgradebot.EINVALID, "The desk is on PostgreSQL: back it up with pg_dump, as the database's other data, e.g. `pg_dump -Fc -f upgradebot.dump postgres://HOST/DATABASE` (the URL without pool_max_conns or search_path, which pg_dump does not know; `-n SCHEMA` for a desk in its own schema).")
	}
	if dest == "" {
		return upgradebot.Errorf(upgradebot.EINVALID, "A backup needs a file name.")
	}
	if _, err := os.Stat(dest); err == nil {
		return upgradebot.Errorf(upgradebot.ECONFLICT, "Backup file %s already exists; choose a new name.", dest)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("store: backup: %w", err)
	}
	// VACUUM INTO reads one snapshot, so writers carry on meanwhile, and it
	// itself refuses to write over a file that appeared since the check.
	if _, err := db.db.ExecContext(ctx, `VACUUM INTO ?`, dest); err != nil {
		return fmt.Errorf("store: backup to %s: %w", dest, err)
	}
	return nil
}

// Migrate applies every migration not yet recorded in the migrations table,
// each in its own transaction.
func (db *DB) Migrate(ctx context.Context) error {
	names, err := db.migrationNames()
	if err != nil {
		return err
	}
	return db.migrateLocked(ctx, func() error { return db.migrateTo(ctx, len(names)) })
}

// migrationDir is the folder of migrationFS with the backend's migrations.
func (db *DB) migrationDir() string {
	if db.pg {
		return "migrations_pg"
	}
	return "migrations"
}

// migrationNames lists the backend's embedded migrations in order.
func (db *DB) migrationNames() ([]string, error) {
	names, err := fs.Glob(migrationFS, db.migrationDir()+"/*.sql")
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	sort.Strings(names)
	for i := range names {
		names[i] = strings.TrimPrefix(names[i], db.migrationDir()+"/")
	}
	return names, nil
}

// migrateTo applies the first n migrations (schema version n). Tests use it
// to build databases at older versions.
func (db *DB) migrateTo(ctx context.Context, n int) error {
	names, err := db.migrationNames()
	if err != nil {
		return err
	}
	if n < 0 || n > len(names) {
		return fmt.Errorf("store: migrate: no schema version %d", n)
	}
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}

	// A database touched by a newer program has migrations this one does not
	// know; running against it could corrupt it.
	known := make(map[string]bool, len(names))
	for _, name := range names {
		known[name] = true
	}
	applied, err := queryAll(ctx, db.db, scanString, `SELECT name FROM migrations`)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	var unknown []string
	for _, name := range applied {
		if !known[name] {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		return fmt.Errorf("store: migrate: the database has migrations this program does not know (%s); use a newer upgradebot", strings.Join(unknown, ", "))
	}

	done := make(map[string]bool, len(applied))
	for _, name := range applied {
		done[name] = true
	}
	for _, name := range names[:n] {
		if done[name] {
			continue // no write lock for a schema that is up to date
		}
		if err := db.migrateFile(ctx, name); err != nil {
			return err
		}
	}
	return nil
}

// migrateFile applies one migration unless it is already recorded. The check
// is inside the write transaction, so two processes opening the same new
// file do not both apply it.
func (db *DB) migrateFile(ctx context.Context, name string) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("store: migrate %s: %w", name, err)
	}
	defer tx.Rollback()

	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return fmt.Errorf("store: migrate %s: %w", name, err)
	} else if n > 0 {
		return nil
	}
	src, err := fs.ReadFile(migrationFS, db.migrationDir()+"/"+name)
	if err != nil {
		return fmt.Errorf("store: migrate %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, string(src)); err != nil {
		return fmt.Errorf("store: migrate %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (name, applied_at) VALUES (?, ?)`,
		name, formatTime(db.clock.Now())); err != nil {
		return fmt.Errorf("store: migrate %s: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: migrate %s: %w", name, err)
	}
	return nil
}

// writeTx is one call of write inside a write transaction: the moment it
// happens at and what it leaves to do. Several calls may share one SQLite
// transaction (see write); everything but Tx is the call's own.
type writeTx struct {
	*sql.Tx
	ctx        context.Context // the statements' context, see ExecContext
	now        time.Time       // UTC
	affected   []string        // see affects
	change     int64           // the id of the first audit row this call wrote, 0 before it
	triggered  bool            // it recorded the request's trigger (see recordTrigger)
	repeatable bool            // see harmless
}

// ExecContext runs a statement of the call. It runs with tx.ctx, whatever
// ctx is given: in a batch that is the caller's context without its
// cancellation, since SQLite answers an interrupted INSERT, UPDATE or
// DELETE by rolling back the whole transaction, the neighbours' changes
// with it. A caller that gives up is refused after its fn instead (see
// writeCall.run).
func (tx *writeTx) ExecContext(_ context.Context, query string, args ...any) (sql.Result, error) {
	return tx.Tx.ExecContext(tx.ctx, query, args...)
}

// QueryContext runs a query of the call with tx.ctx (see ExecContext).
func (tx *writeTx) QueryContext(_ context.Context, query string, args ...any) (*sql.Rows, error) {
	return tx.Tx.QueryContext(tx.ctx, query, args...)
}

// QueryRowContext runs a query of the call with tx.ctx (see ExecContext).
func (tx *writeTx) QueryRowContext(_ context.Context, query string, args ...any) *sql.Row {
	return tx.Tx.QueryRowContext(tx.ctx, query, args...)
}

// PrepareContext prepares a statement of the call with tx.ctx (see
// ExecContext).
func (tx *writeTx) PrepareContext(_ context.Context, query string) (*sql.Stmt, error) {
	return tx.Tx.PrepareContext(tx.ctx, query)
}

// harmless marks a write that a request arriving again may repeat without
// harm, such as remembering display names: it neither records the
// request's trigger nor is refused for it.
func (tx *writeTx) harmless() { tx.repeatable = true }

// affects marks users whose App Home the change alters, to be refreshed in
// the same transaction when it succeeds. Anything but a Slack user id (""
// or upgradebot.SystemActor) is nobody, and is ignored.
func (tx *writeTx) affects(users ...string) {
	for _, u := range users {
		if upgradebot.ValidUserID(u) && !slices.Contains(tx.affected, u) {
			tx.affected = append(tx.affected, u)
		}
	}
}

// errRollback, returned by a write's fn, abandons the transaction and
// reports success: a dry run.
var errRollback = errors.New("store: roll back")

// maxBatch is the most calls of write one transaction gathers. A batch
// holds what queued while the transaction before it ran and committed;
// nothing waits for more to arrive (see docs/benchmarks.md).
const maxBatch = 64

// write runs fn in a write transaction and commits it, and returns once
// the commit holding fn's change is on disk, or with the error that left
// nothing of it.
//
// Calls of this process queue in order. The goroutine that takes the
// process's write lock takes the queue's first maxBatch calls into one
// transaction (group commit: one BEGIN IMMEDIATE, one COMMIT, one fsync for
// them all) and answers every call of it; the others wait for their answer
// or their turn. A call alone in its transaction runs as a call always did.
// With others, each runs inside a SAVEPOINT of its own: one that fails is
// rolled back to it, alone, and its caller gets its own error while the
// rest commit. Nobody is answered success before the commit.
//
// Each call reads the clock into tx.now once the transaction holds the
// write lock, so timestamps follow commit order (calls in one transaction
// in the order they ran). When fn succeeds, an App Home refresh for each
// person fn marked with tx.affects is queued, folded as queueAll folds
// them. For a Slack request (upgradebot.WithTrigger) whose trigger no
// earlier write recorded, the call also records the trigger, or fails with
// upgradebot.ErrAlreadyDone if another request did (unless fn marked it
// harmless). All of this is per call: tx.affected, tx.change and the
// trigger bookkeeping start afresh for each.
//
// fn may run more than once. If a call leaves the shared transaction
// unusable (SQLite rolls a whole transaction back on a full disk, an I/O
// error or lack of memory), that call gets its error and the calls that had
// succeeded before it run again, with their state reset, in a new
// transaction. So fn sets, rather than adds to, whatever it hands out of
// tx, as writeValue does.
//
// A caller whose context is done while it queues gets ctx.Err() and
// nothing is run; once its call is in a transaction, the call's statements
// run on (see writeTx.ExecContext) and it is refused when fn returns. A
// panic in fn is rolled back like an error and raised again in the
// caller's goroutine.
//
// Any error, fn's or the commit's, is wrapped once with op (see wrap), and
// nothing fn wrote stays.
func (db *DB) write(ctx context.Context, op string, fn func(tx *writeTx) error) error {
	if err := ctx.Err(); err != nil {
		return wrap(op, err)
	}
	c := &writeCall{ctx: ctx, op: op, fn: fn, done: make(chan struct{})}
	db.queueMu.Lock()
	db.queue = append(db.queue, c)
	db.queueMu.Unlock()
	for {
		select {
		case <-c.done:
			return c.result()
		case db.writer <- struct{}{}:
			db.runBatch(db.takeBatch())
			db.unlockWriter()
		case <-ctx.Done():
			if db.dequeue(c) {
				return wrap(op, ctx.Err())
			}
			<-c.done // in a transaction already: its outcome is the answer
			return c.result()
		}
	}
}

// writeCall is a call of write, queued or in a transaction.
type writeCall struct {
	ctx      context.Context
	op       string
	fn       func(tx *writeTx) error
	err      error       // the answer, once done is closed
	panicked *writePanic // or the panic to raise again
	done     chan struct{}
}

// writePanic is a panic in a write's fn, raised again in the caller's
// goroutine with the stack where it happened.
type writePanic struct {
	value any
	stack []byte
}

func (p *writePanic) Error() string {
	return fmt.Sprintf("%v\n\npanic in a store write, at:\n%s", p.value, p.stack)
}

func (p *writePanic) Unwrap() error {
	err, _ := p.value.(error)
	return err
}

// errPanicked is what run returns for a panic in fn.
var errPanicked = errors.New("store: write panicked")

// result is the call's answer, in the caller's goroutine.
func (c *writeCall) result() error {
	if c.panicked != nil {
		panic(c.panicked)
	}
	return c.err
}

// answer answers the call with err as run returned it.
func (c *writeCall) answer(err error) {
	switch {
	case errors.Is(err, errRollback):
		err = nil
	case errors.Is(err, errPanicked):
	default:
		err = wrap(c.op, err)
	}
	c.err = err
	close(c.done)
}

// run runs the call in tx: fn, then the App Home refreshes it marked and
// the request's trigger. recorded says whether an earlier call of the same
// transaction recorded a trigger. A panic in fn is kept in c.panicked and
// returned as errPanicked.
func (c *writeCall) run(tx *writeTx, recorded func(*upgradebot.Trigger) bool) (err error) {
	defer func() {
		if r := recover(); r != nil {
			c.panicked = &writePanic{value: r, stack: debug.Stack()}
			err = errPanicked
		}
	}()
	if err := c.fn(tx); err != nil {
		return err
	}
	homes := make([]upgradebot.Message, len(tx.affected))
	for i, u := range tx.affected {
		homes[i] = upgradebot.HomeMessage(u)
	}
	if err := queueAll(tx.ctx, tx, homes); err != nil {
		return err
	}
	trigger := upgradebot.TriggerFrom(c.ctx)
	if trigger != nil && !trigger.Recorded() && !recorded(trigger) && !tx.triggered && !tx.repeatable {
		if err := tx.recordTrigger(tx.ctx, trigger.ID); err != nil {
			return err
		}
	}
	// The caller gave up while its statements ran on: nothing of it stays.
	return c.ctx.Err()
}

// takeBatch takes the first maxBatch calls off the queue.
func (db *DB) takeBatch() []*writeCall {
	db.queueMu.Lock()
	defer db.queueMu.Unlock()
	n := min(len(db.queue), maxBatch)
	batch := slices.Clone(db.queue[:n])
	db.queue = slices.Delete(db.queue, 0, n)
	return batch
}

// dequeue takes c off the queue, unless a transaction has taken it.
func (db *DB) dequeue(c *writeCall) bool {
	db.queueMu.Lock()
	defer db.queueMu.Unlock()
	i := slices.Index(db.queue, c)
	if i < 0 {
		return false
	}
	db.queue = slices.Delete(db.queue, i, i+1)
	return true
}

// runBatch runs calls, with the write lock held, and answers each. A
// caller already gone is answered without running.
func (db *DB) runBatch(calls []*writeCall) {
	live := calls[:0]
	for _, c := range calls {
		if err := c.ctx.Err(); err != nil {
			c.answer(err)
			continue
		}
		live = append(live, c)
	}
	switch len(live) {
	case 0:
	case 1:
		db.runAlone(live[0])
	default:
		for len(live) > 0 {
			live = db.runTogether(live)
		}
	}
}

// newWriteTx starts a call's part of a transaction.
func (db *DB) newWriteTx(sqlTx *sql.Tx, ctx context.Context) *writeTx {
	return &writeTx{Tx: sqlTx, ctx: ctx, now: db.clock.Now().UTC()}
}

// runAlone runs one call in a transaction of its own, with its own context.
func (db *DB) runAlone(c *writeCall) {
	sqlTx, err := db.beginWrite(c.ctx)
	if err != nil {
		c.answer(err)
		return
	}
	tx := db.newWriteTx(sqlTx, c.ctx)
	if err := c.run(tx, func(*upgradebot.Trigger) bool { return false }); err != nil {
		sqlTx.Rollback()
		c.answer(err)
		return
	}
	if err := sqlTx.Commit(); err != nil {
		c.answer(err)
		return
	}
	db.commits.Add(1)
	db.committed.Add(1)
	if tx.triggered {
		upgradebot.TriggerFrom(c.ctx).MarkRecorded()
	}
	c.answer(nil)
}

// runTogether runs calls in one transaction, each in a savepoint, and
// answers them: a failed call when it fails, the others after the commit.
// If a call leaves the transaction unusable, it is answered with its error
// and the calls that were not answered are returned, to run again.
func (db *DB) runTogether(calls []*writeCall) (again []*writeCall) {
	// No caller can cancel the transaction all of them share.
	ctx := context.Background()
	sqlTx, err := db.beginWrite(ctx)
	if err != nil {
		for _, c := range calls {
			c.answer(err)
		}
		return nil
	}
	var held []*writeCall // in the transaction, to be answered at the commit
	var heldTx []*writeTx
	recorded := map[*upgradebot.Trigger]bool{}
	exec := func(query string) error {
		_, err := sqlTx.ExecContext(ctx, query)
		return err
	}
	lost := func(i int, c *writeCall, err error) []*writeCall {
		sqlTx.Rollback()
		c.answer(err)
		return append(held, calls[i+1:]...)
	}
	for i, c := range calls {
		if err := exec(`SAVEPOINT write`); err != nil {
			return lost(i, c, err)
		}
		tx := db.newWriteTx(sqlTx, context.WithoutCancel(c.ctx))
		if err := c.run(tx, func(t *upgradebot.Trigger) bool { return recorded[t] }); err != nil {
			// ROLLBACK TO keeps the savepoint; RELEASE ends it. Either fails
			// when SQLite has rolled the whole transaction back.
			if rerr := exec(`ROLLBACK TO write`); rerr != nil {
				return lost(i, c, err)
			}
			if rerr := exec(`RELEASE write`); rerr != nil {
				return lost(i, c, err)
			}
			c.answer(err)
			continue
		}
		if err := exec(`RELEASE write`); err != nil {
			return lost(i, c, err)
		}
		held, heldTx = append(held, c), append(heldTx, tx)
		if tx.triggered {
			recorded[upgradebot.TriggerFrom(c.ctx)] = true
		}
	}
	if len(held) == 0 {
		sqlTx.Rollback()
		return nil
	}
	if err := sqlTx.Commit(); err != nil {
		for _, c := range held {
			c.answer(err)
		}
		return nil
	}
	db.commits.Add(1)
	db.committed.Add(int64(len(held)))
	for i, c := range held {
		if heldTx[i].triggered {
			upgradebot.TriggerFrom(c.ctx).MarkRecorded()
		}
		c.answer(nil)
	}
	return nil
}

// writeValue is write for an operation that returns a value: fn's, or the
// zero value when the write fails.
func writeValue[T any](ctx context.Context, db *DB, op string, fn func(tx *writeTx) (T, error)) (T, error) {
	var v T
	err := db.write(ctx, op, func(tx *writeTx) (err error) {
		v, err = fn(tx)
		return err
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return v, nil
}

// lockWriter takes the process's write lock for a write of its own, outside
// write's queue (delivery bookkeeping).
func (db *DB) lockWriter(ctx context.Context) error {
	select {
	case db.writer <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (db *DB) unlockWriter() { <-db.writer }

// read starts a read-only transaction, so several queries see one snapshot.
func (db *DB) read(ctx context.Context) (*sql.Tx, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.pg {
		opts.Isolation = sql.LevelRepeatableRead // one snapshot, as SQLite's
	}
	return db.db.BeginTx(ctx, opts)
}

// queryer is what *sql.DB, *sql.Tx and *writeTx have in common.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// scanner is what *sql.Row and *sql.Rows have in common.
type scanner interface {
	Scan(dest ...any) error
}

// queryAll runs query and scans every row with scan.
func queryAll[T any](ctx context.Context, q queryer, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// scanString scans a row of one text column.
func scanString(s scanner) (string, error) {
	var v string
	err := s.Scan(&v)
	return v, err
}

// scanWith scans a row whose leading columns another scan function reads,
// into that function's destinations followed by extra.
type scanWith struct {
	s     scanner
	extra []any
}

func (w scanWith) Scan(dest ...any) error { return w.s.Scan(append(dest, w.extra...)...) }

// audit appends a row to the audit trail, and marks actor affected (the
// change may show on their App Home). before and after are marshalled to
// JSON; nil is stored as "". The rows of one transaction are one change
// (change_id), which undo takes back as a whole.
func (tx *writeTx) audit(ctx context.Context, actor, action, entity string, id int64, before, after any) error {
	tx.affects(actor)
	b, err := auditJSON(before)
	if err != nil {
		return err
	}
	a, err := auditJSON(after)
	if err != nil {
		return err
	}
	var rowID int64
	if err := tx.QueryRowContext(ctx, `
		INSERT INTO audit (at, actor, action, entity, entity_id, before_json, after_json, change_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		formatTime(tx.now), actor, action, entity, id, b, a, nullID(tx.change)).Scan(&rowID); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	if tx.change == 0 {
		tx.change = rowID
	}
	return nil
}

func auditJSON(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	buf, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("audit: %w", err)
	}
	return string(buf), nil
}

// settings reads the team settings inside the transaction.
func (tx *writeTx) settings(ctx context.Context) (upgradebot.Settings, error) {
	return readSettings(ctx, tx)
}

// today is the calendar day of tx.now in the team's time zone.
func (tx *writeTx) today(s upgradebot.Settings) upgradebot.Date {
	return upgradebot.Today(tx.now, s.Location())
}

// wrap names the operation in unexpected errors and passes the domain's
// *upgradebot.Error through untouched.
func wrap(op string, err error) error {
	var e *upgradebot.Error
	if err == nil || errors.As(err, &e) {
		return err
	}
	return fmt.Errorf("store: %s: %w", op, err)
}

// requireActor refuses changes nobody is accountable for.
func requireActor(actor string) error {
	if strings.TrimSpace(actor) == "" {
		return upgradebot.Errorf(upgradebot.EINVALID, "Every change needs an actor.")
	}
	return nil
}

// requireUser refuses (EINVALID) anything but a Slack user id, asking for
// an @mention instead.
func requireUser(id string) error {
	if !upgradebot.ValidUserID(id) {
		return upgradebot.Errorf(upgradebot.EINVALID, "%q is not a Slack user; mention them as @name.", id)
	}
	return nil
}

// requireUserOrNobody is requireUser that also takes "" for nobody.
func requireUserOrNobody(id string) error {
	if id == "" {
		return nil
	}
	return requireUser(id)
}

// foldCase folds ASCII letters to lower case and leaves every other
// letter as it is, as SQLite's NOCASE and lower() do, and as lower() does
// on PostgreSQL for the schema's COLLATE "C" columns: a name compared
// with lower(column) = ? is given folded by this, never by the database,
// whose lower() of a parameter may fold "É" too.
func foldCase(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, s)
}

// timeLayout is RFC 3339 with a fixed nine-digit fraction: unlike
// time.RFC3339Nano it does not trim zeros, so text order is time order and
// comparisons such as next_try <= ? work on the text.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// timeArg is t as stored, or NULL for the zero time.
func timeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad time %q in database: %w", s, err)
	}
	return t.UTC(), nil
}

func parseNullTime(s sql.NullString) (time.Time, error) {
	if !s.Valid || s.String == "" {
		return time.Time{}, nil
	}
	return parseTime(s.String)
}

// dateArg is d as stored, or NULL for the zero Date.
func dateArg(d upgradebot.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

func parseDate(s sql.NullString) (upgradebot.Date, error) {
	if !s.Valid {
		return upgradebot.Date{}, nil
	}
	d, err := upgradebot.ParseDate(s.String)
	if err != nil {
		return upgradebot.Date{}, fmt.Errorf("bad date %q in database", s.String)
	}
	return d, nil
}

// nullID is id, or NULL for 0 (foreign keys).
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// placeholders returns "?, ?, ?" for n arguments.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// mentions formats user ids for messages: "<@U1>, <@U2>".
func mentions(users []string) string {
	m := make([]string, len(users))
	for i, u := range users {
		m[i] = upgradebot.Mention(u)
	}
	return strings.Join(m, ", ")
}

// humanTime is how refusals name a moment, in the team's time zone:
// "2026-11-26 09:05 EST".
func humanTime(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("2006-01-02 15:04 MST")
}
