package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"hash/fnv"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/upgradebot/upgradebot"
)

// PostgreSQL runs the same store as SQLite: the same Go, the same
// statements and the same transactions. What differs is kept here:
//
//   - Its own schema (migrations_pg), written for PostgreSQL's types.
//     Times and days are text in the one layout formatTime writes, and
//     every text column compares bytewise (COLLATE "C"), as SQLite's
//     BINARY does, so that text order stays time order whatever the
//     database's locale.
//   - The connection (pgConn) numbers the store's ?, ?N and @name
//     placeholders as $N, drops SQLite's planner hints (INDEXED BY and the unary + that
//     keeps SQLite off an index; PostgreSQL's planner needs neither), and
//     stores a Go bool as 0 or 1, as SQLite does.
//   - Writers take turns. Every write transaction of every process on the
//     database first takes one transaction-scoped advisory lock (the
//     desk's, keyed by its schema), the lock SQLite's BEGIN IMMEDIATE
//     takes on the file. So replicas see exactly the serial history one
//     SQLite process sees: a change, its audit and its messages commit
//     together, a scheduled run is recorded once, a decision is decided
//     once, a message is claimed once (its row read FOR UPDATE SKIP
//     LOCKED as well). Reads take no lock and see one snapshot.
//   - Migrations run under a session advisory lock, so replicas starting
//     together apply each migration once.

// IsPostgres reports whether dsn names a PostgreSQL database (a
// postgres:// or postgresql:// URL) rather than a SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// defaultPoolSize is how many connections a process keeps at most, unless
// the URL's pool_max_conns says otherwise.
const defaultPoolSize = 10

// migrateLockKey is the advisory lock migrations run under, one per
// database whatever the schema: the migrations of one schema are quick,
// and a lock per database needs no key derived before the schema exists.
const migrateLockKey int64 = 0x75706772616465 // "upgrade"

// openPostgres connects to the database at dsn without touching the
// schema. The URL's pool_max_conns (as pgxpool reads it) sets how many
// connections this process keeps; everything else is pgx's.
func openPostgres(ctx context.Context, dsn string, clock upgradebot.Clock) (*DB, error) {
	dsn, pool, err := poolSize(dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	if clock == nil {
		clock = upgradebot.SystemClock{}
	}
	sqldb := sql.OpenDB(pgConnector{stdlib.GetConnector(*cfg)})
	sqldb.SetMaxOpenConns(pool)
	sqldb.SetMaxIdleConns(pool)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	db := &DB{db: sqldb, clock: clock, writer: make(chan struct{}, 1), pg: true,
		where: fmt.Sprintf("%s:%d/%s", cfg.Host, cfg.Port, cfg.Database)}
	var schema string
	if err := sqldb.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("store: open %s: %w", db, err)
	}
	h := fnv.New64a()
	h.Write([]byte("upgradebot desk " + schema))
	db.lockKey = int64(h.Sum64())
	db.where += " schema " + schema
	return db, nil
}

// poolSize takes pool_max_conns out of dsn, which PostgreSQL itself would
// refuse as an unknown setting.
func poolSize(dsn string) (string, int, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", 0, fmt.Errorf("the database URL does not parse: %w", err)
	}
	q := u.Query()
	n := defaultPoolSize
	if s := q.Get("pool_max_conns"); s != "" {
		if n, err = strconv.Atoi(s); err != nil || n < 2 {
			return "", 0, fmt.Errorf("pool_max_conns=%q: give a number of connections, at least 2", s)
		}
		q.Del("pool_max_conns")
		u.RawQuery = q.Encode()
	}
	return u.String(), n, nil
}

// lockWrites makes tx the desk's one writer until it ends (see above).
func (db *DB) lockWrites(ctx context.Context, tx *sql.Tx) error {
	if !db.pg {
		return nil // BEGIN IMMEDIATE took the file's write lock
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, db.lockKey)
	return err
}

// beginWrite starts a write transaction holding the desk's write lock.
func (db *DB) beginWrite(ctx context.Context) (*sql.Tx, error) {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	if err := db.lockWrites(ctx, tx); err != nil {
		tx.Rollback()
		return nil, err
	}
	return tx, nil
}

// migrateLocked runs migrate holding the migration lock on PostgreSQL, so
// that of several processes starting at once on a new database one
// migrates and the others wait and find it done.
func (db *DB) migrateLocked(ctx context.Context, migrate func() error) error {
	if !db.pg {
		return migrate() // each migration's transaction holds the file's lock
	}
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(?)`, migrateLockKey); err != nil {
		return fmt.Errorf("store: migrate: waiting for another process's migration: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(?)`, migrateLockKey)
	return migrate()
}

// pgWriteReason says in a few words why PostgreSQL refused a write.
func pgWriteReason(err error) string {
	var pe *pgconn.PgError
	var ce *pgconn.ConnectError
	switch {
	case errors.As(err, &ce):
		return "the database cannot be reached"
	case errors.As(err, &pe):
		switch {
		case pe.Code == "25006":
			return "the database is read-only (a standby?)"
		case pe.Code == "53100":
			return "the database server's disk is full"
		case pe.Code == "53300":
			return "the database server has no connection to spare"
		case strings.HasPrefix(pe.Code, "57P"):
			return "the database server is shutting down or restarting"
		case strings.HasPrefix(pe.Code, "08"):
			return "the connection to the database failed"
		}
	case pgconn.Timeout(err):
		return "the database did not answer in time"
	}
	return "the database cannot be written"
}

// pgConnector opens pgConns.
type pgConnector struct{ driver.Connector }

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return pgConn{conn.(*stdlib.Conn)}, nil
}

// pgConn is a pgx connection that reads the store's SQL (see above).
type pgConn struct{ *stdlib.Conn }

func (c pgConn) Prepare(query string) (driver.Stmt, error) {
	return c.Conn.Prepare(pgSQL(query).text)
}

func (c pgConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, pgSQL(query).text)
}

func (c pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	q := pgSQL(query)
	return c.Conn.ExecContext(ctx, q.text, q.args(args))
}

func (c pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	q := pgSQL(query)
	return c.Conn.QueryContext(ctx, q.text, q.args(args))
}

// pgQuery is a query of the store as PostgreSQL reads it.
type pgQuery struct {
	text  string
	names []string // $1, $2, … in order, for a query with @name parameters
}

// args puts named arguments in the order of q's numbers, and stores bools
// as 0 and 1, as SQLite does.
func (q pgQuery) args(args []driver.NamedValue) []driver.NamedValue {
	if len(q.names) > 0 {
		byName := make([]driver.NamedValue, len(q.names))
		for i, name := range q.names {
			byName[i].Ordinal = i + 1
			for _, a := range args {
				if a.Name == name {
					byName[i].Value = a.Value
				}
			}
		}
		args = byName
	}
	for i, a := range args {
		if b, ok := a.Value.(bool); ok {
			args[i].Value = int64(0)
			if b {
				args[i].Value = int64(1)
			}
		}
	}
	return args
}

// pgQueries holds the queries pgSQL has read, by their SQLite text.
var pgQueries sync.Map

// pgSQL is query as PostgreSQL reads it: placeholders (?, ?N and @name)
// numbered, SQLite's planner hints dropped. Text in quotes is left as it
// is.
func pgSQL(query string) pgQuery {
	if q, ok := pgQueries.Load(query); ok {
		return q.(pgQuery)
	}
	var b strings.Builder
	var q pgQuery
	n := 0 // the last ? placeholder's number
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'' || c == '"':
			j := strings.IndexByte(query[i+1:], c)
			if j < 0 { // unterminated: PostgreSQL will say so
				b.WriteString(query[i:])
				i = len(query)
				break
			}
			b.WriteString(query[i : i+j+2])
			i += j + 1
		case c == '?':
			j := i + 1
			for j < len(query) && isDigit(query[j]) {
				j++
			}
			if j > i+1 {
				b.WriteString("$" + query[i+1:j])
			} else {
				n++
				b.WriteString("$" + strconv.Itoa(n))
			}
			i = j - 1
		case c == '@' && i+1 < len(query) && isIdentStart(query[i+1]):
			j := i + 1
			for j < len(query) && (isIdentStart(query[j]) || isDigit(query[j])) {
				j++
			}
			k := slices.Index(q.names, query[i+1:j])
			if k < 0 {
				q.names = append(q.names, query[i+1:j])
				k = len(q.names) - 1
			}
			b.WriteString("$" + strconv.Itoa(k+1))
			i = j - 1
		case c == '+' && i+1 < len(query) && isIdentStart(query[i+1]) && (i == 0 || strings.IndexByte(" \t\n(", query[i-1]) >= 0):
			// unary +: SQLite's "not through an index"
		case hasWordAt(query, i, "INDEXED BY"):
			i += len("INDEXED BY")
			for i < len(query) && query[i] == ' ' {
				i++
			}
			for i < len(query) && (isIdentStart(query[i]) || isDigit(query[i])) {
				i++
			}
			i--
		default:
			b.WriteByte(c)
		}
	}
	q.text = b.String()
	pgQueries.Store(query, q)
	return q
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isIdentStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// hasWordAt reports whether query has the words w at i, as words.
func hasWordAt(query string, i int, w string) bool {
	if !strings.HasPrefix(query[i:], w) || i > 0 && isIdentStart(query[i-1]) {
		return false
	}
	end := i + len(w)
	return end == len(query) || !isIdentStart(query[end])
}
