package upgradebot

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Freeze is a window in which the team makes no changes: a go-live, a
// clinical blackout. Both days are inclusive.
type Freeze struct {
	ID     int64  `json:"id"`
	From   Date   `json:"from"`
	To     Date   `json:"to"` // inclusive
	Reason string `json:"reason"`
	Site   string `json:"site,omitempty"` // the site it holds, "" for every site (see AppliesTo)

	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// Validate reports the first thing wrong with f.
func (f *Freeze) Validate() error {
	switch {
	case f.From.IsZero() || f.To.IsZero():
		return Errorf(EINVALID, "a freeze needs both dates: freeze 2026-12-14..2026-12-20 go-live")
	case f.To.Before(f.From):
		return Errorf(EINVALID, "the freeze ends (%s) before it starts (%s)", f.To, f.From)
	}
	return ValidateTitle("reason", f.Reason)
}

// Contains reports whether day d is inside the freeze.
func (f *Freeze) Contains(d Date) bool {
	return !d.IsZero() && !d.Before(f.From) && !d.After(f.To)
}

// Overlaps reports whether the days from..to (inclusive) share a day with
// the freeze.
func (f *Freeze) Overlaps(from, to Date) bool {
	return !from.IsZero() && !to.IsZero() && !to.Before(f.From) && !from.After(f.To)
}

// Name is how messages call the freeze: "the go-live freeze" for the reason
// "go-live"; a reason that already says freeze is kept as it is ("Epic
// cutover freeze", "Holiday change freeze (Dec 18 - Jan 3)").
func (f *Freeze) Name() string {
	if strings.Contains(strings.ToLower(f.Reason), "freeze") {
		return Escape(f.Reason)
	}
	return Escape(f.Reason) + " freeze"
}

// Range is the freeze's days as typed: "2026-12-14..2026-12-20".
func (f *Freeze) Range() string { return f.From.String() + ".." + f.To.String() }

// FreezeOn returns the first of freezes that contains day d, or nil.
func FreezeOn(freezes []*Freeze, d Date) *Freeze {
	for _, f := range freezes {
		if f.Contains(d) {
			return f
		}
	}
	return nil
}

// FreezeOver returns the first of freezes that shares a day with from..to,
// or nil.
func FreezeOver(freezes []*Freeze, from, to Date) *Freeze {
	for _, f := range freezes {
		if f.Overlaps(from, to) {
			return f
		}
	}
	return nil
}

// FreezeLine is the digest's countdown to f, the next freeze, as of today:
// "Next freeze: go-live freeze in 12 days, Mon 14 Dec – Sun 20 Dec", or,
// while it lasts, "Freeze now: go-live freeze until Sun 20 Dec". "" for nil.
func FreezeLine(f *Freeze, today Date) string {
	if f == nil || f.To.Before(today) {
		return ""
	}
	span := shortDay(f.From) + " – " + shortDay(f.To)
	name := f.Name()
	if f.Site != "" {
		name += " at " + f.Site
	}
	switch n := today.DaysUntil(f.From); {
	case n > 0:
		return fmt.Sprintf("Next freeze: %s in %s, %s", name, Plural(n, "day"), span)
	case n == 0:
		return fmt.Sprintf("Next freeze: %s starts today, %s", name, span)
	}
	return fmt.Sprintf("Freeze now: %s until %s", name, shortDay(f.To))
}

// shortDay is "Mon 14 Dec".
func shortDay(d Date) string { return d.utc().Format("Mon 2 Jan") }

// FreezeService keeps freeze windows. Changes are admin-only (EFORBIDDEN,
// naming the admins) and audited.
type FreezeService interface {
	// CreateFreeze validates and stores f, setting its ID and creation
	// stamp, audited as freeze.add. EINVALID for a bad freeze or one that
	// ended before today.
	CreateFreeze(ctx context.Context, actor string, f *Freeze) error
	// DeleteFreeze removes the freeze with that id and returns it, audited
	// as freeze.remove. ENOTFOUND.
	DeleteFreeze(ctx context.Context, actor string, id int64) (*Freeze, error)
	// FindFreezes returns the freezes that end on or after from (all of
	// them for the zero Date), by start day.
	FindFreezes(ctx context.Context, from Date) ([]*Freeze, error)
}
