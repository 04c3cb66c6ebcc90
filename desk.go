package upgradebot

import (
	"cmp"
	"context"
	"fmt"
	"time"
)

// SystemActor is the actor recorded in the audit trail for changes the bot
// makes on its own (configuration from the environment, the scheduler).
const SystemActor = "system"

// TaskService keeps tasks. Every change writes an audit row and queues its
// messages in the same transaction.
type TaskService interface {
	// CreateTask validates t, stores it and sets its ID and timestamps.
	// Returns EINVALID for a bad task (a phase not in the team's plan
	// included), ENOTFOUND for an unknown release.
	CreateTask(ctx context.Context, actor string, t *Task) error
	// CreateTasks stores many new tasks in one transaction, all or nothing,
	// without messages (bulk loads do not notify). Errors name the position
	// of the bad task.
	CreateTasks(ctx context.Context, actor string, tasks []*Task) error
	// ImportTasks stores tasks from another system, keyed by Ref, without
	// messages: an open task whose ref is new is created and audited as
	// task.import; a done or cancelled one whose ref is new is not created;
	// a task whose ref already belongs to a task (or appears earlier in
	// tasks) is skipped and the existing task left as it is, unless
	// opts.Update applies its changes (audited as any other change). All
	// or nothing: every task is checked first, reading only, and one bad
	// task refuses the import (EINVALID naming the task's position for a
	// bad task or one without a ref, ENOTFOUND for an unknown release,
	// ECONFLICT for a due date another occurrence of the same clean-up
	// has). The tasks are then stored a chunk at a time, so that other
	// changes go on meanwhile; the import's audit rows are one change. If a
	// change made meanwhile refuses a task then, the chunks before it stay
	// and the error says so (importing again skips what is there). More
	// than 200,000 tasks: EINVALID.
	ImportTasks(ctx context.Context, actor string, tasks []*Task, opts ImportOptions) (ImportResult, error)
	// FindTaskByID returns ENOTFOUND if there is no such task.
	FindTaskByID(ctx context.Context, id int64) (*Task, error)
	// FindTasks returns the matching tasks (up to the filter's limit) and how
	// many matched in all.
	FindTasks(ctx context.Context, f TaskFilter) ([]*Task, int, error)
	// AssignTask gives an open task to user and tells them (unless they
	// assigned it to themselves); user "" unassigns it, audited as
	// task.unassign. Whoever had it is told when someone else takes it off
	// them. ENOTFOUND, ECONFLICT if it is closed, or when unassigning a task
	// nobody has.
	AssignTask(ctx context.Context, actor string, id int64, user string) (*Task, error)
	// AssignTasks is AssignTask for several tasks in one transaction, each
	// audited: all of them, or none and the error of the first refused,
	// naming it. Each person is told once, however many tasks. It returns
	// the tasks as they were and as they are.
	AssignTasks(ctx context.Context, actor string, ids []int64, user string) (before, after []*Task, err error)
	// SetTaskDue moves an open task's due date. ENOTFOUND, ECONFLICT if closed.
	SetTaskDue(ctx context.Context, actor string, id int64, due Date) (*Task, error)
	// AddTaskNote appends a note. ENOTFOUND, EINVALID for empty text.
	AddTaskNote(ctx context.Context, actor string, id int64, text string) (*TaskNote, error)
	// TaskNotes returns a task's notes, oldest first.
	TaskNotes(ctx context.Context, id int64) ([]*TaskNote, error)
	// CompleteTask marks an open task done, with an optional note. For an
	// occurrence of a recurring clean-up it also creates the next occurrence,
	// returned as next. ECONFLICT if the task is already closed, naming who
	// closed it and when.
	CompleteTask(ctx context.Context, actor string, id int64, note string) (done, next *Task, err error)
	// CompleteTasks is CompleteTask for several tasks in one transaction,
	// each audited: all of them, or none and the error of the first refused,
	// naming it. next[i] is done[i]'s next occurrence, or nil.
	CompleteTasks(ctx context.Context, actor string, ids []int64, note string) (done, next []*Task, err error)
	// CancelTask closes an open task without doing it, and tells its
	// assignee unless they cancelled it. ECONFLICT if closed.
	CancelTask(ctx context.Context, actor string, id int64, reason string) (*Task, error)
	// CancelTasks is CancelTask for several tasks in one transaction, all or
	// none, as CompleteTasks.
	CancelTasks(ctx context.Context, actor string, ids []int64, reason string) ([]*Task, error)
	// EditTask changes the fields of an open task that e names, each checked
	// as CreateTask checks it, audited as task.edit with the task before
	// and after; the assignee is told when someone else edits it.
	// ENOTFOUND (the task, or a release), EINVALID for a bad value or an
	// edit that changes nothing, ECONFLICT if the task is closed or a
	// clean-up occurrence is moved onto a day another one has. It returns
	// the task as it was and as it is.
	EditTask(ctx context.Context, actor string, id int64, e TaskEdit) (before, after *Task, err error)
	// ReopenTask puts a done or cancelled task back to open, audited as
	// task.reopen; its assignee is told when someone else reopens it.
	// ENOTFOUND, ECONFLICT if it is open.
	ReopenTask(ctx context.Context, actor string, id int64) (*Task, error)
	// UndoTaskChange takes back actor's own last change to tasks (one
	// command: every task it changed, as one of UndoableActions, made within
	// UndoWindow): each task is restored to exactly the state the audit trail
	// recorded before the change (UpdatedAt becomes the undo's time), and a
	// clean-up occurrence the change scheduled is cancelled. Audited as
	// task.undo per task; whoever had or now has a task, other than actor,
	// is told. ENOTFOUND when actor never changed a task; ECONFLICT, saying
	// why and changing nothing, when the last change is older than
	// UndoWindow, is not one undo takes back, or someone else changed one of
	// its tasks since.
	UndoTaskChange(ctx context.Context, actor string) (*TaskUndo, error)
}

// ReleaseFilter selects releases, by GA date ascending.
type ReleaseFilter struct {
	Key     string
	GAFrom  Date     // GA on or after this day
	Vendors []string // any of these vendors, in any case
}

// ReleaseService keeps vendor releases.
type ReleaseService interface {
	// CreateRelease stores r. EINVALID, ECONFLICT if the key is taken. In
	// the same transaction it gives the release one open task per checklist
	// item, and one review task per item deferred in an earlier release of
	// its vendor and still deferred (see CarriedItems), counted in
	// r.ChecklistTasks and r.RevisitTasks.
	CreateRelease(ctx context.Context, actor string, r *Release) error
	// FindReleases returns the matching releases, earliest GA first.
	FindReleases(ctx context.Context, f ReleaseFilter) ([]*Release, error)
	// EditRelease changes the GA date or the end of support of the release
	// with key (see ReleaseChange), audited as release.edit. ENOTFOUND;
	// EINVALID for nothing to change or support ending before GA.
	EditRelease(ctx context.Context, actor, key string, ch ReleaseChange) (*Release, error)
	// RemoveRelease removes a release recorded by mistake, audited as
	// release.remove, and returns it with the tasks it cancelled. Only what
	// `release add` made goes with it: the checklist tasks nobody has
	// touched since (no audit row but their creation) are cancelled, each
	// audited as task.cancel, and every task of the release loses its
	// release (audited as task.detach). ECONFLICT, and nothing is written,
	// while anything was done on it: a recorded phase, a logged note item,
	// a phase gate, a task done, or an open task someone added or worked on,
	// naming a few of each and how many. ENOTFOUND.
	RemoveRelease(ctx context.Context, actor, key string) (*Release, []*Task, error)
}

// ForecastService keeps vendors' cadences and releases' phases, what the
// catch-up forecast is made from.
type ForecastService interface {
	// SetVendor creates or updates the vendor named v.Name (ignoring case:
	// an existing vendor keeps its name as stored), audited as vendor.set,
	// and fills v with what is stored. A SupportDays of 0 keeps the vendor's
	// support window (a new vendor has none); v.ClearSupport forgets it.
	// EINVALID.
	SetVendor(ctx context.Context, actor string, v *Vendor) error
	// RenameVendor renames the vendor called old (ignoring case) to name,
	// audited as vendor.rename, and its releases with it (each audited as
	// release.edit); a change of case alone is a rename. It returns the
	// vendor and how many releases it renamed. ENOTFOUND; ECONFLICT when
	// another vendor has the name; EINVALID.
	RenameVendor(ctx context.Context, actor, old, name string) (*Vendor, int, error)
	// RemoveVendor removes the vendor called name (ignoring case), audited
	// as vendor.remove. ECONFLICT while releases use it, naming up to three
	// of their keys and how many there are; ENOTFOUND.
	RemoveVendor(ctx context.Context, actor, name string) (*Vendor, error)
	// FindVendors returns every vendor, by name.
	FindVendors(ctx context.Context) ([]*Vendor, error)
	// RecordPhase records that the release's phase started or was done on
	// day, audited as release.phase. The phase is one of the team's plan
	// (StoredConfig.Phases, read as PhasePlan.Parse reads it); starting
	// one plans it for its length there. ENOTFOUND for an unknown release,
	// EINVALID for a phase not in the plan (listing the team's phases),
	// ECONFLICT when already recorded.
	// Closing a phase is a gate: only the decision owner (or the delegate
	// while the owner is away) records it done, others get EFORBIDDEN.
	RecordPhase(ctx context.Context, actor, release string, phase Phase, ev PhaseEvent, day Date) (*ReleasePhase, error)
	// RequestGate asks whoever decides today to approve closing the
	// release's phase on day: a decision, audited and sent like any other,
	// whose approval records the phase done. The phase is checked first
	// (the errors of RecordPhase); ECONFLICT if a gate for it is pending
	// or no owner is set.
	RequestGate(ctx context.Context, actor, release string, phase Phase, day Date) (*Decision, Routing, error)
	// FindPhases returns the phases of the release with that key, or of
	// every release for "", by release GA and cycle order.
	FindPhases(ctx context.Context, release string) ([]*ReleasePhase, error)
}

// MaintenanceService keeps recurring clean-ups.
type MaintenanceService interface {
	// CreateMaintenance stores m and its first occurrence, which it returns.
	CreateMaintenance(ctx context.Context, actor string, m *Maintenance) (*Task, error)
	// FindMaintenance returns every active clean-up (paused ones too, but
	// not removed ones) with its open occurrence.
	FindMaintenance(ctx context.Context) ([]*Maintenance, error)
	// EditMaintenance changes clean-up id (see MaintenanceChange), audited
	// as maintenance.edit. Its open occurrences take a new title (audited
	// as task.edit) and a new assignee (task.assign); a new schedule (every,
	// anchor, working days) moves its open occurrence due today or later to
	// the new schedule's first free day on or after today (task.due), while
	// an overdue one keeps its day. ENOTFOUND, also for a removed one;
	// EINVALID for nothing to change or a bad value.
	EditMaintenance(ctx context.Context, actor string, id int64, ch MaintenanceChange) (*MaintenanceResult, error)
	// PauseMaintenance stops clean-up id making occurrences (its open one
	// stays open), audited as maintenance.pause. ECONFLICT if paused.
	PauseMaintenance(ctx context.Context, actor string, id int64) (*MaintenanceResult, error)
	// ResumeMaintenance starts a paused clean-up again, audited as
	// maintenance.resume. Unless it has an occurrence due today or later,
	// it creates the next one, due on the schedule's first day on or after
	// today, so the days missed while paused are not caught up. ECONFLICT
	// if not paused.
	ResumeMaintenance(ctx context.Context, actor string, id int64) (*MaintenanceResult, error)
	// RemoveMaintenance removes clean-up id, audited as maintenance.remove:
	// it makes no more occurrences and its open ones are cancelled (each
	// audited as task.cancel). Its trail stays.
	//
	// Each of these four tells the clean-up's assignee (before and after
	// the change) and whoever holds an occurrence it touches, by DM unless
	// they made it, and returns who was told.
	RemoveMaintenance(ctx context.Context, actor string, id int64) (*MaintenanceResult, error)
	// SetQueue records a clean-up's queue size and the measured rate
	// (items per hour), audited as maintenance.queue. ENOTFOUND, EINVALID.
	SetQueue(ctx context.Context, actor string, id int64, queue int, rate float64) (*Maintenance, error)
}

// DecisionFilter selects decisions, newest first.
type DecisionFilter struct {
	ID     int64
	Status DecisionStatus // "" for all
	Limit  int
}

// DecisionService keeps decision requests and routes them.
type DecisionService interface {
	// CreateDecision routes d to the owner, or to the delegate while the owner
	// is away, and queues the request DM. ECONFLICT if no owner is set.
	CreateDecision(ctx context.Context, actor string, d *Decision) (Routing, error)
	// FindDecisions returns matching decisions, newest first.
	FindDecisions(ctx context.Context, f DecisionFilter) ([]*Decision, error)
	// Decide approves or rejects a pending decision. EFORBIDDEN unless actor
	// is the owner or the delegate while the owner is away; ECONFLICT if it
	// was already decided (the message names who and when); ENOTFOUND. A
	// phase gate's phase is closed on approval, and GateResult says so.
	Decide(ctx context.Context, actor string, id int64, outcome DecisionStatus, comment string) (*Decision, error)
	// WithdrawDecision takes back a pending decision, with an optional
	// reason, audited as decision.withdraw: the request DM is updated in
	// place to say so. Only its requester may (EFORBIDDEN, naming them);
	// ECONFLICT once it is decided or withdrawn, naming who and when;
	// ENOTFOUND. A phase gate's phase stays as it is.
	WithdrawDecision(ctx context.Context, actor string, id int64, reason string) (*Decision, error)
}

// SettingsService keeps team settings, admins, away windows and the names of
// the people the bot has seen. Changes other than one's own away window are
// admin-only (EFORBIDDEN).
type SettingsService interface {
	Settings(ctx context.Context) (Settings, error)
	// Bootstrap applies configuration from the environment: it sets the
	// channel and time zone when given and different, and adds admins. It
	// is not permission-checked and is audited as SystemActor.
	Bootstrap(ctx context.Context, channel, timeZone string, admins []string) error
	// SetOwner makes user the decision owner (admins only), audited as
	// owner.set, and re-routes every pending decision not already with
	// whoever now decides (the new owner, or their delegate while they are
	// away): each is sent to them as a new request, its old request DM is
	// updated in place to say where it went, it is audited as
	// decision.reroute, and each requester is told once, in one DM, unless
	// they made the change. The new request counts as the reminder of the
	// escalation ladder.
	SetOwner(ctx context.Context, actor, user string) error
	// SetSettings sets one or more settings (keys as in ValidateSetting,
	// channel and time zone included) in one transaction, each audited as
	// setting.set. Admins only (EFORBIDDEN, naming the admins); EINVALID
	// with the reason for a bad key or value, and then nothing is set.
	// ECONFLICT, and nothing is set, for phases (SettingPhases) that drop
	// a phase name still used by recorded release phases, checklist items,
	// open tasks or pending gates, saying what uses it and how many.
	SetSettings(ctx context.Context, actor string, values map[string]string) error
	// AddAdmin and RemoveAdmin refuse to remove the last admin (ECONFLICT).
	AddAdmin(ctx context.Context, actor, user string) error
	RemoveAdmin(ctx context.Context, actor, user string) error
	// SetAway records an away window: anyone for themselves, admins for others.
	SetAway(ctx context.Context, actor string, a *Away) error
	// ClearAway removes user's current and future windows and says how many.
	ClearAway(ctx context.Context, actor, user string) (int, error)
	// FindAway returns windows that end on or after day from.
	FindAway(ctx context.Context, from Date) ([]Away, error)
	// RememberPeople records display names seen in Slack escapes.
	RememberPeople(ctx context.Context, people []Person) error
	// People returns display names by user id.
	People(ctx context.Context) (map[string]string, error)
}

// AuditService reads the append-only audit trail (it is written by the
// other services, never directly).
type AuditService interface {
	FindAudit(ctx context.Context, f AuditFilter) ([]*AuditEntry, error)
}

// Outbox holds messages waiting for delivery.
type Outbox interface {
	// QueueMessages adds messages to the outbox in one transaction. A home
	// refresh for a user who already has one pending is dropped.
	QueueMessages(ctx context.Context, msgs []Message) error
	// RecordEvent records a Slack event id and queues msgs, in one
	// transaction. If the id was recorded before it does nothing and
	// returns false: the event is a retry or a duplicate.
	RecordEvent(ctx context.Context, eventID string, msgs []Message) (bool, error)
	// ClaimMessage takes a pending message due at now for delivery by
	// pushing its next try to until (a lease): it returns false if another
	// worker claimed it first or it is no longer pending. A worker that dies
	// mid-delivery loses the lease and the message is tried again.
	ClaimMessage(ctx context.Context, id int64, now, until time.Time) (bool, error)
	// ClaimPaced claims as ClaimMessage does and keeps the pace of the
	// message's channel (Message.ChannelKey) across every worker on the
	// desk: if a claim booked that channel past now, nothing changes and it
	// returns false with the time the channel is free; otherwise the claim
	// books the channel until now+gap (a gap of 0 or less books nothing).
	// A message with no channel key is never held back or booked.
	ClaimPaced(ctx context.Context, id int64, now, until time.Time, gap time.Duration) (claimed bool, free time.Time, err error)
	// CountMessages returns how many messages are in each status.
	CountMessages(ctx context.Context) (map[MessageStatus]int, error)
	// PendingMessages returns up to limit pending messages due at now, oldest first.
	PendingMessages(ctx context.Context, now time.Time, limit int) ([]*Message, error)
	// DueMessages returns up to limit pending messages due at now in the
	// order to deliver them, taking channels (Message.ChannelKey) in turn:
	// each channel's oldest due message, in the order they were queued, then
	// each channel's second, and so on; a message with no channel key is a
	// channel of its own. So one channel's backlog never holds up another's.
	// Messages to a channel booked past now (ClaimPaced) are left out. A
	// limit of 0 or less means no limit.
	DueMessages(ctx context.Context, now time.Time, limit int) ([]*Message, error)
	// FindMessage returns ENOTFOUND if there is no such message.
	FindMessage(ctx context.Context, id int64) (*Message, error)
	// FailedMessages returns messages that failed for good, newest first.
	FailedMessages(ctx context.Context, limit int) ([]*Message, error)
	// OldestPending returns when the oldest message still pending was
	// queued, or the zero time when none is.
	OldestPending(ctx context.Context) (time.Time, error)
	// MarkSent records delivery and where Slack put the message.
	MarkSent(ctx context.Context, id int64, channel, ts string) error
	// MarkRetry records a failed attempt and when to try again.
	MarkRetry(ctx context.Context, id int64, reason string, next time.Time) error
	// Postpone keeps a message pending until next with reason as its last
	// error, without counting an attempt: nothing failed, the message must
	// only wait (Slack's rate limit, an update waiting for its original, a
	// refused token waiting for the app to be reinstalled). ENOTFOUND.
	Postpone(ctx context.Context, id int64, reason string, next time.Time) error
	// MarkFailed gives up on a message and records why.
	MarkFailed(ctx context.Context, id int64, reason string) error
	// RetryFailed puts failed messages back in the queue, due now with
	// their attempts reset, once the cause is fixed (a channel the bot was
	// added to, a scope granted): the one with id, or for id 0 every
	// message that failed and was created in the last RetryAllWithin (older
	// ones are likely out of date: a week of digests must not arrive at
	// once). It returns how many. Admins only (EFORBIDDEN); audited as
	// message.retry; ENOTFOUND when id is not a failed message.
	RetryFailed(ctx context.Context, actor string, id int64) (int, error)
}

// TriggerService records the Slack requests the desk has handled, so that
// one arriving again is not run twice (see WithTrigger: every write of a
// context carrying a Trigger takes part).
type TriggerService interface {
	// TriggerSeen reports whether the request with Slack trigger_id id has
	// been recorded.
	TriggerSeen(ctx context.Context, id string) (bool, error)
	// RecordTrigger records the Trigger of ctx in a write of its own, for
	// a request that wrote nothing (a read, a refusal). It does nothing
	// when ctx has none or a write of the request recorded it.
	// ErrAlreadyDone when another request recorded it first; EINVALID for
	// an empty or over-long id.
	RecordTrigger(ctx context.Context) error
	// ForgetSlackRequests deletes the records of the Slack triggers and
	// events received before before, and says how many it deleted. They
	// are needed only while Slack may send the same request again (see
	// SlackRequestsKept).
	ForgetSlackRequests(ctx context.Context, before time.Time) (int, error)
}

// SlackRequestsKept is how long the records of Slack's triggers and events
// are kept. Slack stops retrying an event within the hour, a Socket Mode
// envelope is redelivered within minutes, and a signed request more than
// five minutes old is refused: a week is well past all of them.
const SlackRequestsKept = 7 * 24 * time.Hour

// RetryAllWithin is how recent a failed message must be for "retry all"
// to send it again.
const RetryAllWithin = 24 * time.Hour

// Desk is everything the upgrade desk keeps. store.DB implements it on
// SQLite; the bot and the scheduler use it without knowing the backend.
// A change someone makes also queues, in its own transaction, an App Home
// refresh (HomeMessage) for them and for those whose App Home it changes
// (the store's package comment says who), folded into one already pending.
// A write made for a Slack request (WithTrigger) records the request's
// trigger_id in its transaction, and one made for the same request arriving
// again changes nothing and returns ErrAlreadyDone.
type Desk interface {
	TaskService
	ReleaseService
	ForecastService
	MaintenanceService
	DecisionService
	SettingsService
	AuditService
	Outbox
	TriggerService
	JobService
	DigestService
	FollowUpService
	WorkloadService
	TrendService
	FreezeService
	ChecklistService
	LiveService
	PartnerService
	SiteService
	TimeService
	PHIService
	// Ping checks that the backend answers.
	Ping(ctx context.Context) error
	// CheckWrite commits a tiny write (the time of the check) to show that
	// the backend takes writes, as every command needs. A read-only file,
	// a full disk or a lock held past ctx's deadline fail it; the error's
	// message (ErrorMessage) says which in a few words, for /healthz.
	CheckWrite(ctx context.Context) error
	// Connection describes the backend and this process's connections to
	// it, for /healthz and /metrics.
	Connection() Connection
}

// Connection is a process's view of its database: which one (never with a
// password) and its connection pool.
type Connection struct {
	Backend string // "sqlite" or "postgres"
	Where   string // the file, or host:port/database and schema: for logs, not /healthz
	Open    int    // connections open
	InUse   int    // of them, in use
	Max     int    // the most it opens; 0: no limit
}

// String is the backend and the pool in one line, as /healthz shows it: it
// leaves out Where, which names internal hosts.
func (c Connection) String() string {
	name := map[string]string{"sqlite": "SQLite", "postgres": "PostgreSQL"}[c.Backend]
	open := Plural(c.Open, "connection") + " open"
	if c.Max > 0 {
		open = fmt.Sprintf("%d of %d connections open", c.Open, c.Max)
	}
	return fmt.Sprintf("%s, %s, %d in use", cmp.Or(name, c.Backend), open, c.InUse)
}
