package upgradebot

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// ChecklistItem is one line of the team's release checklist: a task every
// new release gets in one of its phases. The team edits the template; each
// release gets its own copy as tasks.
type ChecklistItem struct {
	ID       int64         `json:"id"`
	Phase    Phase         `json:"phase"`
	Title    string        `json:"title"`
	Estimate time.Duration `json:"estimate,omitzero"` // whole minutes, 0 if not estimated
	// Position orders the items of a phase; 0 on a new item puts it last.
	Position int `json:"position"`
	// Vendor, when set, makes the item its vendor's own: a vendor with any
	// items of its own gets only those (see ChecklistFor).
	Vendor string `json:"vendor,omitempty"`

	UpdatedBy string    `json:"updated_by"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate reports the first thing wrong with it. The phase is checked
// for its shape (ValidPhaseName) only: whether the team has that phase is
// the store's to check, against the team's PhasePlan.
func (it *ChecklistItem) Validate() error {
	if !ValidPhaseName(it.Phase) {
		return Errorf(EINVALID, "%q is not a phase name: %s", Clip(string(it.Phase), 20), phaseNameRule)
	}
	if err := ValidateTitle("title", it.Title); err != nil {
		return err
	}
	if it.Estimate < 0 || it.Estimate > MaxEstimate || it.Estimate%time.Minute != 0 {
		return Errorf(EINVALID, "an estimate is whole minutes up to %s, not %s", FormatEffort(MaxEstimate), it.Estimate)
	}
	if it.Position < 0 {
		return Errorf(EINVALID, "a checklist position is 0 (last) or more, not %d", it.Position)
	}
	return nil
}

// Task is the open task it becomes on the release with key.
func (it *ChecklistItem) Task(key string) *Task {
	return &Task{Title: it.Title, Kind: KindUpgrade, Release: key, Phase: it.Phase, Estimate: it.Estimate}
}

// Verdict is what the team decided about one item of a release's notes.
type Verdict string

// Verdicts. Skip is shown as "not doing".
const (
	VerdictAdopt Verdict = "adopt" // take the change in this release
	VerdictDefer Verdict = "defer" // later: it comes back in the next release's checklist
	VerdictSkip  Verdict = "skip"  // not doing it
)

// Verdicts lists every verdict, in the order replies group them.
var Verdicts = []Verdict{VerdictAdopt, VerdictDefer, VerdictSkip}

// ParseVerdict reads a verdict: adopt or yes, defer or later, skip, no or
// not-doing, in any case.
func ParseVerdict(s string) (Verdict, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "adopt", "yes":
		return VerdictAdopt, nil
	case "defer", "later":
		return VerdictDefer, nil
	case "skip", "no", "not-doing", "notdoing":
		return VerdictSkip, nil
	}
	return "", Errorf(EINVALID, "%q is not a verdict; write adopt, defer or skip (not doing)", Clip(s, 20))
}

// Human is how replies write v: "adopt", "defer", "not doing".
func (v Verdict) Human() string {
	if v == VerdictSkip {
		return "not doing"
	}
	return string(v)
}

// ReleaseItem is one item of a release's notes and what the team decided
// about it, with the reason. A title is logged once per release (ignoring
// the case of ASCII letters, as the store's NOCASE does): logging it again
// changes the verdict.
type ReleaseItem struct {
	ID        int64   `json:"id"`
	ReleaseID int64   `json:"release_id"`
	Release   string  `json:"release"` // the release's key
	Title     string  `json:"title"`
	Verdict   Verdict `json:"verdict"`
	Reason    string  `json:"reason,omitempty"` // required to defer or skip

	DecidedBy string    `json:"decided_by"`
	DecidedAt time.Time `json:"decided_at"`

	// Was is the verdict this one replaced, set by LogReleaseItem; "" for
	// a new item. Not stored.
	Was Verdict `json:"-"`
}

// Validate reports the first thing wrong with it.
func (it *ReleaseItem) Validate() error {
	if err := ValidateTitle("item title", it.Title); err != nil {
		return err
	}
	if !slices.Contains(Verdicts, it.Verdict) {
		return Errorf(EINVALID, "%q is not a verdict; write adopt, defer or skip (not doing)", Clip(string(it.Verdict), 20))
	}
	if strings.TrimSpace(it.Reason) == "" {
		if it.Verdict != VerdictAdopt {
			return Errorf(EINVALID, "%s needs the reason: release %s item %s \"%s\" <why>",
				it.Verdict, it.Release, it.Verdict, Clip(it.Title, 40))
		}
		return nil
	}
	return ValidateText("reason", it.Reason)
}

// RevisitTitle is the title of the task that brings a deferred item back:
// "Revisit deferred: <item> (deferred in <key>: <reason>)", clipped to
// MaxTitleLen.
func (it *ReleaseItem) RevisitTitle() string {
	s := fmt.Sprintf("Revisit deferred: %s (deferred in %s: %s)", it.Title, it.Release, strings.Join(strings.Fields(it.Reason), " "))
	if utf8.RuneCountInString(s) > MaxTitleLen {
		s = string([]rune(s)[:MaxTitleLen-1]) + "…"
	}
	return s
}

// CarriedItems returns the items deferred in releases of r's vendor before
// r that are still deferred: no release of that vendor after the deferring
// one, up to and including r, has a verdict on the same title. Titles, and
// vendors, are compared as the store compares them (COLLATE NOCASE):
// ignoring the case of ASCII letters only, so "Order Sets" and "order sets"
// are one item but "Ärzte" and "ärzte" are two. releases are ordered as
// FindReleases orders them (GA, then the order they were recorded), which
// is what "before" means; items may belong to any release. The result is in
// release order.
func CarriedItems(r *Release, releases []*Release, items []*ReleaseItem) []*ReleaseItem {
	pos := map[int64]int{} // the vendor's releases up to r, by id: their place in order
	for i, x := range releases {
		if lowerASCII(x.Vendor) == lowerASCII(r.Vendor) && !releaseAfter(x, r) {
			pos[x.ID] = i
		}
	}
	// latest is each title's latest verdict among those releases.
	latest := map[string]*ReleaseItem{}
	for _, it := range items {
		p, ok := pos[it.ReleaseID]
		if !ok {
			continue
		}
		k := lowerASCII(it.Title)
		if cur, seen := latest[k]; !seen || pos[cur.ReleaseID] < p {
			latest[k] = it
		}
	}
	var out []*ReleaseItem
	for _, it := range latest {
		if it.Verdict == VerdictDefer && it.ReleaseID != r.ID {
			out = append(out, it)
		}
	}
	slices.SortFunc(out, func(a, b *ReleaseItem) int {
		return cmp.Or(cmp.Compare(pos[a.ReleaseID], pos[b.ReleaseID]), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// lowerASCII lower-cases the ASCII letters of s and leaves every other
// rune as it is, as SQLite's NOCASE collation folds case: names the store
// keeps apart stay apart here.
func lowerASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// releaseAfter reports whether x comes after r: a later GA, or the same GA
// and recorded later.
func releaseAfter(x, r *Release) bool {
	if x.GA != r.GA {
		return r.GA.Before(x.GA)
	}
	return x.ID > r.ID
}

// ChecklistService keeps the release checklist template and the verdicts on
// the items of each release's notes. Template changes are admin-only
// (EFORBIDDEN, naming the admins); everything is audited.
type ChecklistService interface {
	// Checklist returns the template, in the order of the team's phases
	// and by position within one.
	Checklist(ctx context.Context) ([]*ChecklistItem, error)
	// AddChecklistItem validates and stores it (last in its phase unless it
	// has a position), setting its ID and stamp, audited as checklist.add.
	// Admins only (EFORBIDDEN); EINVALID, also for a phase not in the
	// team's plan.
	AddChecklistItem(ctx context.Context, actor string, it *ChecklistItem) error
	// RemoveChecklistItem removes the item with that id from the template
	// and returns it, audited as checklist.remove; releases' tasks made
	// from it stay. Admins only (EFORBIDDEN); ENOTFOUND.
	RemoveChecklistItem(ctx context.Context, actor string, id int64) (*ChecklistItem, error)
	// LogReleaseItem records the verdict on an item of the notes of the
	// release with key releaseKey, setting its ID, release and stamp;
	// logging a title again (ignoring case) changes its verdict and reason
	// and sets it.Was. Audited as release.item with before and after.
	// Anyone may; ENOTFOUND for an unknown release, EINVALID for a bad item
	// (a deferral or skip without a reason).
	LogReleaseItem(ctx context.Context, actor, releaseKey string, it *ReleaseItem) error
	// FindReleaseItems returns the items logged on the release with that
	// key, or on every release for "", by release order and then as
	// logged. ENOTFOUND for an unknown release.
	FindReleaseItems(ctx context.Context, releaseKey string) ([]*ReleaseItem, error)
	// DeferredItems returns the items deferred in earlier releases of the
	// vendor of the release with that key and still deferred (see
	// CarriedItems): what its checklist brought back to revisit.
	// ENOTFOUND for an unknown release.
	DeferredItems(ctx context.Context, releaseKey string) ([]*ReleaseItem, error)
}

// ChecklistFor is the template a new release of vendor gets: the vendor's
// own items when it has any, the team's (items without a vendor)
// otherwise. Vendor names compare ignoring case.
func ChecklistFor(template []*ChecklistItem, vendor string) []*ChecklistItem {
	var own, team []*ChecklistItem
	for _, it := range template {
		switch {
		case it.Vendor == "":
			team = append(team, it)
		case strings.EqualFold(it.Vendor, vendor):
			own = append(own, it)
		}
	}
	if len(own) > 0 {
		return own
	}
	return team
}
