// Package pgtest gives tests a PostgreSQL database of their own: a new,
// empty schema on the server UPGRADEBOT_TEST_POSTGRES names, dropped when
// the test ends, so tests on one server run in parallel. Only tests import
// it.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Env is the variable that names the test server, as a postgres:// URL.
const Env = "UPGRADEBOT_TEST_POSTGRES"

// Server returns the test server's URL, or skips the test, saying how to
// run it, when none is set. .ci/run always sets one.
func Server(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(Env)
	if dsn == "" {
		t.Skipf("no PostgreSQL: set %s=postgres://127.0.0.1:5432/test (as .ci/run does) to run this test on it", Env)
	}
	return dsn
}

// Schema creates an empty schema on the test server and returns a URL
// whose connections use it (search_path). It is dropped, with everything
// in it, when the test and its subtests are done.
func Schema(t testing.TB) string {
	t.Helper()
	server := Server(t)
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("pgtest: %s: %v", Env, err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	Exec(t, server, `CREATE SCHEMA `+schema)
	t.Cleanup(func() { Exec(t, server, `DROP SCHEMA `+schema+` CASCADE`) })
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Exec runs statements on the database at dsn (the server, or a URL Schema
// returned).
func Exec(t testing.TB, dsn, sql string) {
	t.Helper()
	with(t, dsn, func(ctx context.Context, conn *pgx.Conn) error {
		_, err := conn.Exec(ctx, sql)
		return err
	}, sql)
}

// Int runs a query of one integer on the database at dsn.
func Int(t testing.TB, dsn, query string) int {
	t.Helper()
	var n int
	with(t, dsn, func(ctx context.Context, conn *pgx.Conn) error {
		return conn.QueryRow(ctx, query).Scan(&n)
	}, query)
	return n
}

// with runs f on a connection of its own to dsn, failing the test with
// what (the statement) if it fails.
func with(t testing.TB, dsn string, f func(context.Context, *pgx.Conn) error, what string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("pgtest: %s=%s: %v", Env, dsn, err)
	}
	defer conn.Close(ctx)
	if err := f(ctx, conn); err != nil {
		t.Fatalf("pgtest: %s: %v", what, err)
	}
}
