package storetest

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

// mrn is the medical record number the patient-data tests type; its
// digits must never come back.
const mrn = "MRN 00482913"

var digitRun = regexp.MustCompile(`\d{5,}`)

// testPHIGuard: every write that stores text a person gave refuses patient
// identifiers before anything is written, and the one row it adds to the
// audit trail says where and what kind, never the text.
func testPHIGuard(t *testing.T, e *env) {
	e.setOwner(Owner)
	task := e.createTask(Alice, &upgradebot.Task{Title: "Upgrade the lab interface", Assignee: Alice})
	other := e.createTask(Alice, &upgradebot.Task{Title: "Test the ADT feed", Assignee: Alice})
	every, _ := upgradebot.ParseInterval("2w")
	occ, err := e.desk.CreateMaintenance(e.ctx, Admin, &upgradebot.Maintenance{Title: "Duplicate record clean-up", Every: every, Assignee: Bob, Anchor: day("2026-11-30")})
	ok(t, err)
	r := &upgradebot.Release{Vendor: "MedCore", Name: "2027q1", GA: day("2027-02-15")}
	ok(t, e.desk.CreateRelease(e.ctx, Admin, r))
	ask := func() int64 {
		d := &upgradebot.Decision{Question: "Go live on a Sunday?"}
		_, err := e.desk.CreateDecision(e.ctx, Alice, d)
		ok(t, err)
		return d.ID
	}
	d1, d2, d3 := ask(), ask(), ask()
	t2 := e.createTask(Alice, &upgradebot.Task{Title: "Merge 00482913 into 00519377"}) // fine outside a clean-up
	ok(t, e.desk.AddSite(e.ctx, Admin, &upgradebot.Site{Key: "north", Name: "North Campus"}))
	e.deliverAll()

	title := "Merge " + mrn + " into 00519377"
	for _, tc := range []struct {
		desc, entity, field string
		kind                upgradebot.PHIKind
		do                  func() error
	}{
		{"a task's title", "task", "title", upgradebot.PHIMRN, func() error {
			return e.desk.CreateTask(e.ctx, Alice, &upgradebot.Task{Title: title})
		}},
		{"a task's ref", "task", "ref", upgradebot.PHISSN, func() error {
			return e.desk.CreateTask(e.ctx, Alice, &upgradebot.Task{Title: "Fix the account", Ref: "123-45-6789"})
		}},
		{"a bare number in a clean-up task", "task", "title", upgradebot.PHIDigits, func() error {
			return e.desk.CreateTask(e.ctx, Alice, &upgradebot.Task{Title: "Merge 00482913 into 00519377", Kind: upgradebot.KindCleanup})
		}},
		{"a note", "task", "note", upgradebot.PHIDOB, func() error {
			_, err := e.desk.AddTaskNote(e.ctx, Alice, task.ID, "patient DOB 1/2/1960 mismatched")
			return err
		}},
		{"a bare number in a clean-up occurrence's note", "task", "note", upgradebot.PHIDigits, func() error {
			_, err := e.desk.AddTaskNote(e.ctx, Bob, occ.ID, "merged 00482913")
			return err
		}},
		{"a done note", "task", "note", upgradebot.PHIMRN, func() error {
			_, _, err := e.desk.CompleteTasks(e.ctx, Alice, []int64{task.ID, other.ID}, "merged "+mrn)
			return err
		}},
		{"a cancel reason", "task", "reason", upgradebot.PHIMRN, func() error {
			_, err := e.desk.CancelTask(e.ctx, Alice, task.ID, "duplicate of "+mrn)
			return err
		}},
		{"an edited title", "task", "title", upgradebot.PHIMRN, func() error {
			_, _, err := e.desk.EditTask(e.ctx, Alice, task.ID, upgradebot.TaskEdit{Title: &title})
			return err
		}},
		{"an edit to cleanup with a bare number in the title", "task", "title", upgradebot.PHIDigits, func() error {
			kind := upgradebot.KindCleanup
			_, _, err := e.desk.EditTask(e.ctx, Alice, t2.ID, upgradebot.TaskEdit{Kind: &kind})
			return err
		}},
		{"time spent's note", "task", "note", upgradebot.PHIMRN, func() error {
			_, err := e.desk.LogTime(e.ctx, Alice, task.ID, time.Hour, "looked up "+mrn)
			return err
		}},
		{"a question", "decision", "question", upgradebot.PHIMRN, func() error {
			_, err := e.desk.CreateDecision(e.ctx, Alice, &upgradebot.Decision{Question: "Merge " + mrn + "?"})
			return err
		}},
		{"an approval's comment", "decision", "comment", upgradebot.PHISSN, func() error {
			_, err := e.desk.Decide(e.ctx, Owner, d1, upgradebot.DecisionApproved, "ok for 123-45-6789")
			return err
		}},
		{"a rejection's reason", "decision", "reason", upgradebot.PHIMRN, func() error {
			_, err := e.desk.Decide(e.ctx, Owner, d2, upgradebot.DecisionRejected, "not for "+mrn)
			return err
		}},
		{"a withdrawal's reason", "decision", "reason", upgradebot.PHIMRN, func() error {
			_, err := e.desk.WithdrawDecision(e.ctx, Alice, d3, "asked about "+mrn)
			return err
		}},
		{"a release's name", "release", "release name", upgradebot.PHIMRN, func() error {
			return e.desk.CreateRelease(e.ctx, Admin, &upgradebot.Release{Vendor: "MedCore", Name: mrn, Key: "medcore-x", GA: day("2027-05-15")})
		}},
		{"a release-note item", "release", "release-note item", upgradebot.PHIMRN, func() error {
			return e.desk.LogReleaseItem(e.ctx, Alice, r.Key, &upgradebot.ReleaseItem{Title: "Fix for " + mrn, Verdict: upgradebot.VerdictAdopt})
		}},
		{"a release-note reason", "release", "reason", upgradebot.PHIDOB, func() error {
			return e.desk.LogReleaseItem(e.ctx, Alice, r.Key, &upgradebot.ReleaseItem{Title: "New MAR", Verdict: upgradebot.VerdictDefer, Reason: "DOB 1/2/1960 shows wrong"})
		}},
		{"a vendor's name", "vendor", "vendor name", upgradebot.PHIMRN, func() error {
			return e.desk.SetVendor(e.ctx, Alice, &upgradebot.Vendor{Name: mrn, CadenceDays: 91})
		}},
		{"a vendor's new name", "vendor", "vendor name", upgradebot.PHIMRN, func() error {
			_, _, err := e.desk.RenameVendor(e.ctx, Alice, "MedCore", mrn)
			return err
		}},
		{"a clean-up's title", "maint", "title", upgradebot.PHIDigits, func() error {
			_, err := e.desk.CreateMaintenance(e.ctx, Admin, &upgradebot.Maintenance{Title: "Merge 00482913", Every: every, Anchor: day("2026-12-01")})
			return err
		}},
		{"a clean-up's new title", "maint", "title", upgradebot.PHIMRN, func() error {
			_, err := e.desk.EditMaintenance(e.ctx, Admin, occ.MaintenanceID, upgradebot.MaintenanceChange{Title: "Merge " + mrn})
			return err
		}},
		{"a freeze's reason", "freeze", "reason", upgradebot.PHIMRN, func() error {
			return e.desk.CreateFreeze(e.ctx, Admin, &upgradebot.Freeze{From: day("2026-12-14"), To: day("2026-12-20"), Reason: "chart " + mrn})
		}},
		{"a checklist item", "checklist", "title", upgradebot.PHIMRN, func() error {
			return e.desk.AddChecklistItem(e.ctx, Admin, &upgradebot.ChecklistItem{Phase: upgradebot.PhaseTest, Title: "Test with " + mrn})
		}},
		{"a site's name", "site", "site name", upgradebot.PHIMRN, func() error {
			return e.desk.AddSite(e.ctx, Admin, &upgradebot.Site{Key: "west", Name: mrn})
		}},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			snap := []*upgradebot.Task{e.task(task.ID), e.task(other.ID), e.task(occ.ID)}
			amark, mark := e.lastAudit(), e.lastMessage()
			err := tc.do()
			wantErr(t, err, upgradebot.EINVALID, "the "+tc.field+" holds", tc.kind.Human())
			for _, msg := range []string{upgradebot.ErrorMessage(err), err.Error()} {
				if run := digitRun.FindString(msg); run != "" {
					t.Errorf("the refusal %q repeats %q", msg, run)
				}
			}
			if msgs := e.pending(mark); len(msgs) != 0 {
				t.Errorf("a refused command queued %s", summary(msgs))
			}
			for _, s := range snap {
				if got := e.task(s.ID); taskString(got) != taskString(s) {
					t.Errorf("task #%d changed", s.ID)
				}
			}
			rows := e.wantActions(amark, "phi.refused")
			if len(rows) != 1 {
				return
			}
			var got upgradebot.PHIRefusal
			if err := json.Unmarshal([]byte(rows[0].After), &got); err != nil {
				t.Fatal(err)
			}
			if rows[0].Entity != "phi" || got.Entity != tc.entity || got.Field != tc.field || got.Kind != tc.kind || rows[0].Before != "" {
				t.Errorf("refusal audited as %+v: %+v", rows[0], got)
			}
			if run := digitRun.FindString(rows[0].After); run != "" {
				t.Errorf("the audit row %q holds %q", rows[0].After, run)
			}
		})
	}

	// Bulk writes refuse as a whole, naming the position.
	err = e.desk.CreateTasks(e.ctx, Admin, []*upgradebot.Task{{Title: "Fine"}, {Title: title}})
	wantErr(t, err, upgradebot.EINVALID, "task 2 of 2: the title holds what looks like a medical record number")
	_, err = e.desk.ImportTasks(e.ctx, Admin, []*upgradebot.Task{{Title: title, Ref: "INC0012345"}}, upgradebot.ImportOptions{})
	wantErr(t, err, upgradebot.EINVALID, "the title holds what looks like a medical record number")

	// Look-alikes pass: tickets, due dates, release keys, versions.
	for _, fine := range []string{"INC0012345 vendor fix", "due 12/5/2026 go-live", "medcore-2026q4 notes", "upgrade to 2026.1.0.3", "MR #42 reviewed"} {
		if err := e.desk.CreateTask(e.ctx, Alice, &upgradebot.Task{Title: fine}); err != nil {
			t.Errorf("CreateTask(%q): %v", fine, err)
		}
	}

	// The team's pattern adds to the built-in one, from the moment it is set.
	ok(t, e.desk.CreateTask(e.ctx, Alice, &upgradebot.Task{Title: "Merge E1234567"}))
	ok(t, e.desk.SetSettings(e.ctx, Admin, map[string]string{upgradebot.SettingPHIMRN: `\bE\d{7}\b`}))
	err = e.desk.CreateTask(e.ctx, Alice, &upgradebot.Task{Title: "Merge E7654321"})
	wantErr(t, err, upgradebot.EINVALID, "medical record number")
}

// testPHIScan: what is already stored is found and listed by id and
// field, never by value; admins only.
func testPHIScan(t *testing.T, e *env) {
	found, err := e.desk.ScanPHI(e.ctx, Admin)
	ok(t, err)
	if len(found) != 0 {
		t.Fatalf("a new desk holds %+v", found)
	}
	clean := e.createTask(Alice, &upgradebot.Task{Title: "Upgrade the lab interface"})
	// Written before the team's pattern was set: the built-in one lets it by.
	old := e.createTask(Alice, &upgradebot.Task{Title: "Merge E1234567 and E7654321", Assignee: Alice})
	_, err = e.desk.AddTaskNote(e.ctx, Alice, clean.ID, "see E7654321")
	ok(t, err)
	_, err = e.desk.ScanPHI(e.ctx, Alice)
	wantErr(t, err, upgradebot.EFORBIDDEN, "Only admins can scan the desk for patient data")
	ok(t, e.desk.SetSettings(e.ctx, Admin, map[string]string{upgradebot.SettingPHIMRN: `\bE\d{7}\b`}))
	found, err = e.desk.ScanPHI(e.ctx, Admin)
	ok(t, err)
	var refs []string
	for _, f := range found {
		var hits []string
		for _, h := range f.Hits {
			hits = append(hits, h.String())
		}
		refs = append(refs, f.Ref()+": "+strings.Join(hits, ", "))
	}
	want := []string{
		"task #2: title: medical record number",
		"task #1: note: medical record number",
	}
	if len(refs) < 2 || refs[0] != want[0] || refs[1] != want[1] {
		t.Errorf("ScanPHI = %q, want %q first", refs, want)
	}
	audit := 0
	for _, r := range refs {
		if strings.HasPrefix(r, "audit row #") {
			audit++
		}
	}
	if audit < 2 {
		t.Errorf("ScanPHI found %d audit rows; the task's and the note's were written with the numbers", audit)
	}
	_ = old
}
