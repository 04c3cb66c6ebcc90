package upgradebot_test

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/upgradebot/upgradebot"
)

func TestParseVerdict(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want upgradebot.Verdict
	}{
		{"adopt", upgradebot.VerdictAdopt}, {"YES", upgradebot.VerdictAdopt},
		{"defer", upgradebot.VerdictDefer}, {"later", upgradebot.VerdictDefer},
		{"skip", upgradebot.VerdictSkip}, {"no", upgradebot.VerdictSkip}, {"Not-Doing", upgradebot.VerdictSkip},
		{"maybe", ""}, {"", ""},
	} {
		got, err := upgradebot.ParseVerdict(tt.in)
		if got != tt.want || (err != nil) != (tt.want == "") {
			t.Errorf("ParseVerdict(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if got := upgradebot.VerdictSkip.Human(); got != "not doing" {
		t.Errorf("skip is shown as %q", got)
	}
}

func TestReleaseItemValidate(t *testing.T) {
	for _, tt := range []struct {
		desc string
		it   upgradebot.ReleaseItem
		want string // part of the error, "" for none
	}{
		{"adopt without reason", upgradebot.ReleaseItem{Title: "Smart phrases", Verdict: upgradebot.VerdictAdopt}, ""},
		{"defer with reason", upgradebot.ReleaseItem{Title: "MAR layout", Verdict: upgradebot.VerdictDefer, Reason: "sign-off"}, ""},
		{"defer without reason", upgradebot.ReleaseItem{Release: "medcore-q1", Title: "MAR layout", Verdict: upgradebot.VerdictDefer},
			`defer needs the reason: release medcore-q1 item defer "MAR layout" <why>`},
		{"skip blank reason", upgradebot.ReleaseItem{Title: "Themes", Verdict: upgradebot.VerdictSkip, Reason: " "}, "skip needs the reason"},
		{"no title", upgradebot.ReleaseItem{Verdict: upgradebot.VerdictAdopt}, "item title is empty"},
		{"bad verdict", upgradebot.ReleaseItem{Title: "X", Verdict: "maybe"}, "not a verdict"},
		{"long reason", upgradebot.ReleaseItem{Title: "X", Verdict: upgradebot.VerdictSkip, Reason: strings.Repeat("x", upgradebot.MaxTextLen+1)}, "keep it under"},
	} {
		err := tt.it.Validate()
		if tt.want == "" && err != nil || tt.want != "" && !strings.Contains(upgradebot.ErrorMessage(err), tt.want) {
			t.Errorf("%s: Validate() = %v, want %q", tt.desc, err, tt.want)
		}
	}
}

func TestChecklistItemValidate(t *testing.T) {
	good := upgradebot.ChecklistItem{Phase: upgradebot.PhaseTest, Title: "Run the regression scripts", Estimate: 8 * time.Hour}
	if err := good.Validate(); err != nil {
		t.Errorf("Validate(%+v) = %v", good, err)
	}
	for _, bad := range []upgradebot.ChecklistItem{
		{Phase: "Deploy!", Title: "X"},
		{Phase: "", Title: "X"},
		{Phase: upgradebot.PhaseTest},
		{Phase: upgradebot.PhaseTest, Title: "X", Estimate: time.Second},
		{Phase: upgradebot.PhaseTest, Title: "X", Position: -1},
	} {
		if err := bad.Validate(); upgradebot.ErrorCode(err) != upgradebot.EINVALID {
			t.Errorf("Validate(%+v) = %v, want EINVALID", bad, err)
		}
	}
	task := good.Task("medcore-q1")
	if task.Title != good.Title || task.Phase != upgradebot.PhaseTest || task.Release != "medcore-q1" || task.Estimate != 8*time.Hour {
		t.Errorf("Task = %+v", task)
	}
}

func TestRevisitTitle(t *testing.T) {
	it := upgradebot.ReleaseItem{Release: "medcore-q1", Title: "New MAR layout", Reason: "needs nursing\nsign-off"}
	if got, want := it.RevisitTitle(), "Revisit deferred: New MAR layout (deferred in medcore-q1: needs nursing sign-off)"; got != want {
		t.Errorf("RevisitTitle = %q, want %q", got, want)
	}
	it.Reason = strings.Repeat("é", 500)
	got := it.RevisitTitle()
	if n := utf8.RuneCountInString(got); n != upgradebot.MaxTitleLen || !strings.HasSuffix(got, "…") {
		t.Errorf("long RevisitTitle has %d characters: %q", n, got)
	}
	if err := upgradebot.ValidateTitle("title", got); err != nil {
		t.Errorf("clipped title: %v", err)
	}
}

func TestCarriedItems(t *testing.T) {
	rel := func(id int64, vendor, ga string) *upgradebot.Release {
		return &upgradebot.Release{ID: id, Key: strings.ToLower(vendor) + "-" + ga, Vendor: vendor, GA: d(ga)}
	}
	// Recorded out of order: q0 was added last, with the earliest GA.
	q1, q2, lab, q3, q0 := rel(1, "MedCore", "2026-01-15"), rel(2, "MedCore", "2026-04-15"), rel(3, "LabSys", "2026-05-01"),
		rel(4, "medcore", "2026-07-15"), rel(5, "MedCore", "2025-10-15")
	p1, p2 := rel(7, "PharmaNet", "2026-02-01"), rel(8, "PharmaNet", "2026-06-01")
	releases := []*upgradebot.Release{q0, q1, p1, q2, lab, p2, q3} // as FindReleases orders them
	var next int64
	item := func(r *upgradebot.Release, title string, v upgradebot.Verdict) *upgradebot.ReleaseItem {
		next++
		return &upgradebot.ReleaseItem{ID: next, ReleaseID: r.ID, Release: r.Key, Title: title, Verdict: v, Reason: "why"}
	}
	items := []*upgradebot.ReleaseItem{
		item(q1, "MAR layout", upgradebot.VerdictDefer),
		item(q1, "Barcode v2", upgradebot.VerdictDefer),
		item(q1, "Themes", upgradebot.VerdictSkip),
		item(q0, "Old thing", upgradebot.VerdictDefer),
		item(lab, "Lab thing", upgradebot.VerdictDefer),
		item(q2, "barcode V2", upgradebot.VerdictAdopt),
		item(q2, "Portal", upgradebot.VerdictDefer),
		item(q3, "Portal", upgradebot.VerdictSkip),
		// Case is folded as SQLite's NOCASE folds it, ASCII letters only:
		// "ärzte" is not "Ärzte" (two rows in one release), but "order
		// sets" is "Order Sets".
		item(p1, "Ärzte portal", upgradebot.VerdictDefer),
		item(p1, "Order Sets", upgradebot.VerdictDefer),
		item(p2, "ärzte portal", upgradebot.VerdictAdopt),
		item(p2, "order sets", upgradebot.VerdictAdopt),
	}
	for _, tt := range []struct {
		r    *upgradebot.Release
		want []string // release key: title
	}{
		{q0, nil},
		{q1, []string{"medcore-2025-10-15: Old thing"}},
		{q2, []string{"medcore-2025-10-15: Old thing", "medcore-2026-01-15: MAR layout"}},
		{q3, []string{"medcore-2025-10-15: Old thing", "medcore-2026-01-15: MAR layout"}}, // Portal decided in q3 itself
		{lab, nil},
		{rel(6, "MEDCORE", "2026-10-15"), []string{"medcore-2025-10-15: Old thing", "medcore-2026-01-15: MAR layout"}},
		{p1, nil},
		{p2, []string{"pharmanet-2026-02-01: Ärzte portal"}}, // "Order Sets" decided in p2 as "order sets"
	} {
		var got []string
		for _, it := range upgradebot.CarriedItems(tt.r, releases, items) {
			got = append(got, it.Release+": "+it.Title)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("CarriedItems(%s) = %q, want %q", tt.r.Key, got, tt.want)
		}
	}
}
