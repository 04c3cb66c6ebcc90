package upgradebot

import "time"

// AuditEntry is one row of the append-only audit trail: who changed what,
// when, and the value before and after (JSON; empty for creations and
// deletions respectively).
type AuditEntry struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Action   string    `json:"action"` // e.g. "task.add", "decision.approve", "owner.set"
	Entity   string    `json:"entity"` // "task", "release", "maintenance", "decision", "setting", "admin", "away", "freeze"
	EntityID int64     `json:"entity_id,omitempty"`
	Before   string    `json:"before,omitempty"`
	After    string    `json:"after,omitempty"`
}

// AuditFilter selects audit rows, newest first.
type AuditFilter struct {
	EntityID int64 // rows about any entity with this id
	Entity   string
	Actor    string // rows of changes this person made
	Limit    int
}
