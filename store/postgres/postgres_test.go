// Package postgres_test runs the desk's contract suite (store/storetest) on
// PostgreSQL, each part on a schema of its own, so that `go test ./...`
// prints a line of its own for it. UPGRADEBOT_TEST_POSTGRES names the
// server; without it the suite is skipped, saying so (.ci/run always sets
// it).
package postgres_test

import (
	"context"
	"testing"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/internal/pgtest"
	"github.com/upgradebot/upgradebot/store"
	"github.com/upgradebot/upgradebot/store/storetest"
)

func TestDeskPostgres(t *testing.T) {
	pgtest.Server(t)
	storetest.Run(t, func(t *testing.T, clock *upgradebot.FakeClock) upgradebot.Desk {
		db, err := store.Open(context.Background(), pgtest.Schema(t), clock)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if err := db.Close(); err != nil {
				t.Error(err)
			}
		})
		return db
	})
}
