package upgradebot

import (
	"context"
	"fmt"
	"strings"
)

// Wiring the patient-data guard.
//
// Everything the desk stores or posts is checked with the team's guard
// (Settings.PHIGuard) before anything is written: the store checks each
// piece of text in the write's transaction and a match refuses the whole
// command with a *PHIError, so nothing of it is written. The refusal itself
// is then recorded in the audit trail, in a transaction of its own, as
// action phi.refused (entity "phi") with a PHIRefusal: which kind of thing,
// its id, the field and the kind of identifier, never the text. That row is
// the one write a refused command makes, and it is deliberate: the team
// sees that someone tried, and can follow up, without the value ever being
// kept.

// PHIRefusal says where patient data was refused, never what it was.
type PHIRefusal struct {
	Entity string  `json:"entity"`       // what the text was for: task, decision, release, …
	ID     int64   `json:"id,omitempty"` // its id; 0 for a new one
	Field  string  `json:"field"`        // title, note, question, reason, …
	Kind   PHIKind `json:"kind"`
	// Line is the file line of an imported row, 0 otherwise.
	Line int `json:"line,omitempty"`
}

// String is "the title of task #12: medical record number" (no digits but
// the id and line, and never the text).
func (r PHIRefusal) String() string {
	where := r.Entity
	if r.ID != 0 {
		where += fmt.Sprintf(" #%d", r.ID)
	} else if r.Line != 0 {
		where += fmt.Sprintf(" on line %d", r.Line)
	} else {
		where = "a new " + where
	}
	return fmt.Sprintf("the %s of %s: %s", r.Field, where, r.Kind.Human())
}

// PHIError refuses a command for patient data: EINVALID with the guard's
// message (which never holds the text), and the refusal to record.
type PHIError struct {
	Refusal PHIRefusal
	err     *Error
}

func (e *PHIError) Error() string { return e.err.Error() }

// Unwrap is the *Error, so ErrorCode and ErrorMessage read it.
func (e *PHIError) Unwrap() error { return e.err }

// Refuse checks text as Check does: nil when it holds no patient
// identifier, else a *PHIError for the field of entity id.
func (g PHIGuard) Refuse(entity string, id int64, field, text string, ctx PHIContext) error {
	kind, ok := g.Find(text, ctx)
	if !ok {
		return nil
	}
	return &PHIError{
		Refusal: PHIRefusal{Entity: entity, ID: id, Field: field, Kind: kind},
		err:     Errorf(EINVALID, "%s %s", phiSubject(field), kind.reason()),
	}
}

// PHIText is one piece of text a command would store: its field's name as
// people know it and the text.
type PHIText struct {
	Field string
	Text  string
}

// RefuseAll is Refuse for each text in turn; the first match refuses.
// Empty texts are skipped.
func (g PHIGuard) RefuseAll(entity string, id int64, ctx PHIContext, texts ...PHIText) error {
	for _, t := range texts {
		if strings.TrimSpace(t.Text) == "" {
			continue
		}
		if err := g.Refuse(entity, id, t.Field, t.Text, ctx); err != nil {
			return err
		}
	}
	return nil
}

// PHIFinding is a stored thing that holds patient identifiers, by id and
// field, never the values: what `phi scan` lists.
type PHIFinding struct {
	Entity string // task, decision, release, …
	ID     int64  // its id (a release's, a vendor's: the row id)
	Key    string // how people name it when it has no number: a release key, a vendor or site name
	Hits   []PHIHit
}

// Ref names the thing as commands take it: "task #12", "decision D3",
// "release medcore-2027q1".
func (f PHIFinding) Ref() string {
	switch {
	case f.Entity == "decision":
		return fmt.Sprintf("decision D%d", f.ID)
	case f.Key != "":
		return f.Entity + " " + f.Key
	}
	return fmt.Sprintf("%s #%d", f.Entity, f.ID)
}

// PHIService records refusals and finds patient data already stored.
type PHIService interface {
	// RecordPHIRefusals records refusals made outside the store (an
	// import's rows refused as the file is read) in the audit trail as
	// phi.refused, in one transaction: where and what kind, never the
	// text. EINVALID without an actor.
	RecordPHIRefusals(ctx context.Context, actor string, refusals []PHIRefusal) error
	// ScanPHI checks everything stored (tasks and their notes and time
	// logs, decisions, releases and their note items, vendors, clean-ups,
	// freezes, checklist items, sites) with the team's guard and returns
	// each thing that holds patient identifiers, with the fields and
	// kinds, never the values. Admins only (EFORBIDDEN).
	ScanPHI(ctx context.Context, actor string) ([]PHIFinding, error)
}
