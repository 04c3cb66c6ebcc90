package store

import (
	"testing"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/internal/pgtest"
	"github.com/upgradebot/upgradebot/store/storetest"
)

// TestDeskPostgres runs the contract suite on PostgreSQL, each part on a
// schema of its own.
func TestDeskPostgres(t *testing.T) {
	pgtest.Server(t)
	storetest.Run(t, func(t *testing.T, clock *upgradebot.FakeClock) upgradebot.Desk {
		return mustOpenPath(t, pgtest.Schema(t), clock)
	})
}
