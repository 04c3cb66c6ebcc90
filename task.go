package upgradebot

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxTitleLen is the longest title, in characters, a task, decision or
// clean-up may have. Slack shows about this much in one line on a phone.
const MaxTitleLen = 200

// MaxTextLen bounds free text: notes, comments, reasons.
const MaxTextLen = 2000

// TaskKind says what sort of work a task is.
type TaskKind string

// Task kinds.
const (
	KindUpgrade     TaskKind = "upgrade"
	KindMaintenance TaskKind = "maintenance"
	KindCleanup     TaskKind = "cleanup"
)

// Human is the kind as people read it: "clean-up" for cleanup (the word
// commands take), the others as they are.
func (k TaskKind) Human() string {
	if k == KindCleanup {
		return "clean-up"
	}
	return string(k)
}

// TaskKinds lists every kind, in the order help shows them.
var TaskKinds = []TaskKind{KindUpgrade, KindMaintenance, KindCleanup}

// Priority orders work.
type Priority string

// Priorities.
const (
	PriorityHigh   Priority = "high"
	PriorityNormal Priority = "normal"
	PriorityLow    Priority = "low"
)

// Priorities lists every priority, highest first.
var Priorities = []Priority{PriorityHigh, PriorityNormal, PriorityLow}

// TaskStatus is where a task is in its life.
type TaskStatus string

// Task statuses.
const (
	StatusOpen      TaskStatus = "open"
	StatusDone      TaskStatus = "done"
	StatusCancelled TaskStatus = "cancelled"
)

// Task is one piece of upgrade or maintenance work.
type Task struct {
	ID       int64      `json:"id"`
	Title    string     `json:"title"`
	Kind     TaskKind   `json:"kind"`
	Status   TaskStatus `json:"status"`
	Assignee string     `json:"assignee,omitempty"` // Slack user id
	Due      Date       `json:"due"`
	Priority Priority   `json:"priority"`
	Release  string     `json:"release,omitempty"` // release key
	Ref      string     `json:"ref,omitempty"`     // ticket in another system
	// MaintenanceID links an occurrence to its recurring clean-up.
	MaintenanceID int64 `json:"maintenance_id,omitempty"`
	// Estimate is the work planned, 0 if nobody estimated it (see
	// ParseEstimate). Whole minutes.
	Estimate time.Duration `json:"estimate,omitzero"`
	// Phase is the release phase the task belongs to, "" if none (a task
	// made from the release checklist has one): one of the team's
	// PhasePlan when created.
	Phase Phase `json:"phase,omitempty"`
	// Site is the site the work is for (a key of the team's sites), ""
	// for the whole system.
	Site string `json:"site,omitempty"`

	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	ClosedBy  string    `json:"closed_by,omitempty"`
	ClosedAt  time.Time `json:"closed_at,omitzero"`
}

// Validate fills defaults and reports the first thing wrong with t.
func (t *Task) Validate() error {
	if err := ValidateTitle("title", t.Title); err != nil {
		return err
	}
	if t.Kind == "" {
		t.Kind = KindUpgrade
	}
	if t.Priority == "" {
		t.Priority = PriorityNormal
	}
	if t.Status == "" {
		t.Status = StatusOpen
	}
	if !validKind(t.Kind) {
		return Errorf(EINVALID, "kind %q is not one of upgrade, maintenance, cleanup", t.Kind)
	}
	if !validPriority(t.Priority) {
		return Errorf(EINVALID, "priority %q is not one of high, normal, low", t.Priority)
	}
	if len(t.Ref) > 64 {
		return Errorf(EINVALID, "ref is longer than 64 characters")
	}
	if t.Estimate < 0 || t.Estimate > MaxEstimate || t.Estimate%time.Minute != 0 {
		return Errorf(EINVALID, "an estimate is whole minutes up to %s, not %s", FormatEffort(MaxEstimate), t.Estimate)
	}
	if t.Phase != "" {
		if !ValidPhaseName(t.Phase) {
			return Errorf(EINVALID, "%q is not a phase name: %s", Clip(string(t.Phase), 20), phaseNameRule)
		}
		if t.Release == "" {
			return Errorf(EINVALID, "a task in the %s phase needs its release: release:<key>", t.Phase)
		}
	}
	return nil
}

// Overdue reports whether t is open and its due date is before today.
func (t *Task) Overdue(today Date) bool {
	return t.Status == StatusOpen && !t.Due.IsZero() && t.Due.Before(today)
}

func validKind(k TaskKind) bool {
	for _, v := range TaskKinds {
		if v == k {
			return true
		}
	}
	return false
}

func validPriority(p Priority) bool {
	for _, v := range Priorities {
		if v == p {
			return true
		}
	}
	return false
}

// ValidateTitle checks a one-line title: not empty, not too long, no
// control characters. what names the field in the message.
func ValidateTitle(what, s string) error {
	if strings.TrimSpace(s) == "" {
		return Errorf(EINVALID, "the %s is empty", what)
	}
	if n := utf8.RuneCountInString(s); n > MaxTitleLen {
		return Errorf(EINVALID, "the %s is %d characters; keep it under %d", what, n, MaxTitleLen)
	}
	if !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return Errorf(EINVALID, "the %s contains control characters", what)
	}
	return nil
}

// ValidateText checks free text such as a note or a reason.
func ValidateText(what, s string) error {
	if strings.TrimSpace(s) == "" {
		return Errorf(EINVALID, "the %s is empty", what)
	}
	if n := utf8.RuneCountInString(s); n > MaxTextLen {
		return Errorf(EINVALID, "the %s is %d characters; keep it under %d", what, n, MaxTextLen)
	}
	if !utf8.ValidString(s) {
		return Errorf(EINVALID, "the %s is not valid text", what)
	}
	return nil
}

// TaskNote is a line of history a person added to a task.
type TaskNote struct {
	ID     int64     `json:"id"`
	TaskID int64     `json:"task_id"`
	Author string    `json:"author"`
	Text   string    `json:"text"`
	At     time.Time `json:"at"`
}

// TaskFilter selects tasks. Zero fields do not filter.
type TaskFilter struct {
	ID        int64
	Statuses  []TaskStatus
	Assignee  string
	Release   string
	Kind      TaskKind
	Site      string   // work of this site
	DueBefore Date     // due strictly before this day (overdue: today)
	Words     []string // every word appears in the title or ref, any case

	// Order: open work soonest-due first; closed work most recently closed first.
	Offset int
	Limit  int // 0 means no limit
}
