package upgradebot

import (
	"context"
	"time"
)

// LiveService says whether a desk is live on Slack. `serve` records its
// start; from then on the console and exec, which on a console-only desk
// print each message and mark it sent, leave every message for serve to
// deliver (they may show what they queued), and the console's user is never
// made an admin.
type LiveService interface {
	// RecordServe records that serve started on this desk, at the clock's
	// time; the first start is kept. Not audited; refreshes nobody.
	RecordServe(ctx context.Context) error
	// ServedSince returns when serve first started on this desk, the zero
	// time if it never has.
	ServedSince(ctx context.Context) (time.Time, error)
	// LastMessageID returns the id of the newest message in the outbox, 0
	// when it is empty; a message queued afterwards has a higher id. The
	// console on a live desk uses it to show what a command queued.
	LastMessageID(ctx context.Context) (int64, error)
}
