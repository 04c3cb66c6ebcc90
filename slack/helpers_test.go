package slack_test

import "github.com/upgradebot/upgradebot/internal/desktest"

// The people, the start time and the desk of these tests: desktest's.
const (
	admin  = desktest.Admin
	owner  = desktest.Owner
	deleg  = desktest.Deleg
	alice  = desktest.Alice
	bob    = desktest.Bob
	teamCh = desktest.TeamCh
)

var (
	start     = desktest.Start
	mustZone  = desktest.MustZone
	newBot    = desktest.NewBot
	openDesk  = desktest.OpenDesk
	outbox    = desktest.Outbox
	outboxAll = desktest.OutboxAll
)
