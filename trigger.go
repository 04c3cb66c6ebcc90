package upgradebot

import (
	"context"
	"sync/atomic"
)

// Trigger is one request a person made in Slack (a slash command, a button
// click, a form submitted), named by the trigger_id Slack gives it. The id
// is new each time someone acts and the same when a request arrives again:
// a captured, correctly signed request replayed within the signature's five
// minutes, or a Socket Mode envelope delivered twice. The desk runs each
// trigger once (see WithTrigger).
type Trigger struct {
	ID       string
	recorded atomic.Bool
}

type triggerKey struct{}

// WithTrigger returns a context for the writes of the request with Slack
// trigger_id id, and the request's Trigger.
//
// The desk records id with the first write of that context, in the same
// transaction, and later writes of the same context go ahead. When another
// request recorded id first, the write changes nothing and fails with
// ErrAlreadyDone. Remembering display names (RememberPeople), which a
// request may repeat without harm, takes no part. A refused write records
// nothing, and a request that only reads writes nothing: RecordTrigger
// records such a request's id.
func WithTrigger(ctx context.Context, id string) (context.Context, *Trigger) {
	t := &Trigger{ID: id}
	return context.WithValue(ctx, triggerKey{}, t), t
}

// TriggerFrom returns the Trigger of ctx, or nil.
func TriggerFrom(ctx context.Context) *Trigger {
	t, _ := ctx.Value(triggerKey{}).(*Trigger)
	return t
}

// Recorded reports whether the desk has recorded the trigger for this
// request: a write of its context has been committed with it.
func (t *Trigger) Recorded() bool { return t.recorded.Load() }

// MarkRecorded is for desks: it says that the transaction that recorded
// the trigger has been committed.
func (t *Trigger) MarkRecorded() { t.recorded.Store(true) }

// AlreadyDone is the answer to a request that arrives again.
const AlreadyDone = "Already done: this request was handled before, so it was not run again."

// ErrAlreadyDone is returned by a write of a request whose trigger another
// request recorded first (see WithTrigger). Its code is ECONFLICT.
var ErrAlreadyDone = Errorf(ECONFLICT, AlreadyDone)
