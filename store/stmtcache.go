package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"strings"

	"modernc.org/sqlite"
)

// Parsing SQL was about a fifth of a slash command's CPU time: the driver
// prepares every statement it is given as text, runs it once and throws it
// away. A connection of this package keeps the statements it runs
// prepared instead, by their text, and runs them again from there. This is
// below database/sql, which hands a connection to one goroutine at a time,
// so it needs no lock and costs no allocation of database/sql's own.

// maxConnStmts is how many statements a connection keeps prepared; queries
// built to measure (a filter's conditions, n placeholders) may vary past
// it, and are then prepared each time as before.
const maxConnStmts = 128

// stmtConnector opens connections that keep their statements prepared.
type stmtConnector struct{ driver.Connector }

func newStmtConnector(dsn string) (driver.Connector, error) {
	c, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return stmtConnector{c}, nil
}

func (c stmtConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	inner, ok := conn.(sqliteConn)
	if !ok {
		conn.Close()
		return nil, errors.New("store: the sqlite driver's connection lacks a method database/sql uses")
	}
	return &stmtConn{sqliteConn: inner, stmts: map[string]*connStmt{}}, nil
}

// sqliteConn is what database/sql uses of the driver's connection.
type sqliteConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// stmtConn is a connection that keeps its statements prepared.
type stmtConn struct {
	sqliteConn
	stmts map[string]*connStmt
}

// connStmt is a statement a connection keeps. A query's rows use it until
// they are closed; a statement of the same text run meanwhile (a query
// inside the loop over them) is prepared apart, not this one started over.
type connStmt struct {
	driver.Stmt
	busy bool
	rows stmtRows // its rows while busy, kept here to spare an allocation
}

// take returns the kept statement for query, prepared now if need be, or
// nil to run query as the driver would: it holds several statements (a
// statement runs only its first), it is busy, there are maxConnStmts
// already, or preparing it failed (running it says why).
func (c *stmtConn) take(ctx context.Context, query string) *connStmt {
	s, ok := c.stmts[query]
	switch {
	case ok && s.busy:
		return nil
	case ok:
		return s
	case len(c.stmts) >= maxConnStmts || strings.Contains(query, ";"):
		return nil
	}
	ds, err := c.sqliteConn.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	if _, ok := ds.(driver.StmtExecContext); !ok {
		ds.Close()
		return nil
	}
	if _, ok := ds.(driver.StmtQueryContext); !ok {
		ds.Close()
		return nil
	}
	s = &connStmt{Stmt: ds}
	c.stmts[query] = s
	return s
}

func (c *stmtConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if s := c.take(ctx, query); s != nil {
		return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
	}
	return c.sqliteConn.ExecContext(ctx, query, args)
}

func (c *stmtConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	s := c.take(ctx, query)
	if s == nil {
		return c.sqliteConn.QueryContext(ctx, query, args)
	}
	rows, err := s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	s.busy = true
	s.rows = stmtRows{Rows: rows, s: s}
	return &s.rows, nil
}

// Close finalizes the kept statements, then closes the connection.
func (c *stmtConn) Close() error {
	for q, s := range c.stmts {
		s.Close()
		delete(c.stmts, q)
	}
	return c.sqliteConn.Close()
}

// stmtRows are a kept statement's rows: closing them frees it.
type stmtRows struct {
	driver.Rows
	s *connStmt
}

func (r *stmtRows) Close() error {
	err := r.Rows.Close()
	r.Rows, r.s.busy = nil, false
	return err
}
