package storetest

import (
	"strings"
	"testing"

	"github.com/upgradebot/upgradebot"
)

// testVendorCorrections: what issue 10 saw with vendors. `vendor Verisante
// cadence:13w` without support: wiped the support window, and `vendor
// verisante …` renamed the vendor to lower case; a vendor could not be
// renamed or removed. Now a change that names no support window keeps it,
// the stored name keeps its case, a rename takes the vendor's releases with
// it, and a vendor is removed only while no release uses it.
func testVendorCorrections(t *testing.T, e *env) {
	v := &upgradebot.Vendor{Name: "Verisante", CadenceDays: 91, SupportDays: 364}
	ok(t, e.desk.SetVendor(e.ctx, Alice, v))

	amark := e.lastAudit()
	change := &upgradebot.Vendor{Name: "verisante", CadenceDays: 84}
	ok(t, e.desk.SetVendor(e.ctx, Bob, change))
	if change.ID != v.ID || change.Name != "Verisante" || change.SupportDays != 364 || change.CadenceDays != 84 {
		t.Errorf("after a cadence change: %+v, want Verisante every 84 days, still supported 364", change)
	}
	vs, err := e.desk.FindVendors(e.ctx)
	ok(t, err)
	if len(vs) != 1 || vs[0].Name != "Verisante" || vs[0].SupportDays != 364 || vs[0].CadenceDays != 84 {
		t.Fatalf("vendors = %+v", vs)
	}
	rows := e.wantActions(amark, "vendor.set")
	if len(rows) == 1 && (!strings.Contains(rows[0].After, `"support_days":364`) || !strings.Contains(rows[0].After, `"name":"Verisante"`)) {
		t.Errorf("audit row = %+v", rows[0])
	}
	clear := &upgradebot.Vendor{Name: "VERISANTE", CadenceDays: 84, ClearSupport: true}
	ok(t, e.desk.SetVendor(e.ctx, Bob, clear))
	if clear.SupportDays != 0 || clear.Name != "Verisante" {
		t.Errorf("clearing the support window: %+v", clear)
	}
	ok(t, e.desk.SetVendor(e.ctx, Bob, &upgradebot.Vendor{Name: "Verisante", CadenceDays: 91, SupportDays: 547}))

	// Renamed, its releases follow; a change of case alone is a rename.
	typo := &upgradebot.Vendor{Name: "Verisnate", CadenceDays: 182}
	ok(t, e.desk.SetVendor(e.ctx, Alice, typo))
	for _, name := range []string{"2027.1", "2027.2"} {
		ok(t, e.desk.CreateRelease(e.ctx, Alice, &upgradebot.Release{Vendor: "Verisnate", Name: name, GA: day("2027-03-01")}))
	}
	_, _, err = e.desk.RenameVendor(e.ctx, Alice, "verisnate", "verisante")
	wantErr(t, err, upgradebot.ECONFLICT, "already a vendor called Verisante")
	_, _, err = e.desk.RenameVendor(e.ctx, Alice, "Nobody", "Somebody")
	wantErr(t, err, upgradebot.ENOTFOUND, "No vendor is called Nobody")
	_, _, err = e.desk.RenameVendor(e.ctx, Alice, "verisnate", "Verisnate")
	wantErr(t, err, upgradebot.EINVALID, "already called Verisnate")
	_, _, err = e.desk.RenameVendor(e.ctx, Alice, "verisnate", "  ")
	wantErr(t, err, upgradebot.EINVALID)

	amark = e.lastAudit()
	renamed, n, err := e.desk.RenameVendor(e.ctx, Bob, "verisnate", "LabSys")
	ok(t, err)
	if renamed.ID != typo.ID || renamed.Name != "LabSys" || renamed.CadenceDays != 182 || n != 2 {
		t.Errorf("renamed %+v, %d releases", renamed, n)
	}
	rows = e.wantActions(amark, "vendor.rename", "release.edit", "release.edit")
	if len(rows) == 3 && (!strings.Contains(rows[0].Before, "Verisnate") || !strings.Contains(rows[1].After, `"vendor":"LabSys"`)) {
		t.Errorf("audit rows = %+v", rows)
	}
	rs, err := e.desk.FindReleases(e.ctx, upgradebot.ReleaseFilter{Vendors: []string{"labsys"}})
	ok(t, err)
	if len(rs) != 2 || rs[0].Vendor != "LabSys" || rs[0].Key != "verisnate-2027.1" {
		t.Errorf("releases of the renamed vendor = %+v (their keys stay)", rs)
	}
	if _, n, err := e.desk.RenameVendor(e.ctx, Bob, "labsys", "LABSYS"); err != nil || n != 2 {
		t.Errorf("a change of case: %d releases, %v", n, err)
	}

	// Removed only while no release uses it, saying which.
	amark = e.lastAudit()
	_, err = e.desk.RemoveVendor(e.ctx, Alice, "labsys")
	wantErr(t, err, upgradebot.ECONFLICT, "LABSYS has 2 releases", "`verisnate-2027.1`, `verisnate-2027.2`", "release remove")
	for _, name := range []string{"2027.3", "2027.4"} {
		ok(t, e.desk.CreateRelease(e.ctx, Alice, &upgradebot.Release{Vendor: "LabSys", Name: name, GA: day("2027-06-01")}))
	}
	_, err = e.desk.RemoveVendor(e.ctx, Alice, "labsys")
	wantErr(t, err, upgradebot.ECONFLICT, "LABSYS has 4 releases", "and 1 more")
	_, err = e.desk.RemoveVendor(e.ctx, Alice, "Nobody")
	wantErr(t, err, upgradebot.ENOTFOUND)
	e.wantActions(amark, "release.add", "release.add")

	amark = e.lastAudit()
	gone, err := e.desk.RemoveVendor(e.ctx, Bob, "verisante")
	ok(t, err)
	if gone.ID != v.ID || gone.Name != "Verisante" {
		t.Errorf("removed %+v", gone)
	}
	rows = e.wantActions(amark, "vendor.remove")
	if len(rows) == 1 && (rows[0].EntityID != v.ID || rows[0].After != "" || !strings.Contains(rows[0].Before, "Verisante")) {
		t.Errorf("audit row = %+v", rows[0])
	}
	vs, err = e.desk.FindVendors(e.ctx)
	ok(t, err)
	if len(vs) != 1 || vs[0].Name != "LABSYS" {
		t.Errorf("vendors after removing = %+v", vs)
	}

	// A removed vendor's id, and so its audit trail, is never another's.
	last := &upgradebot.Vendor{Name: "Temp", CadenceDays: 91}
	ok(t, e.desk.SetVendor(e.ctx, Alice, last))
	_, err = e.desk.RemoveVendor(e.ctx, Alice, "Temp")
	ok(t, err)
	next := &upgradebot.Vendor{Name: "MedCore", CadenceDays: 91}
	ok(t, e.desk.SetVendor(e.ctx, Alice, next))
	if next.ID <= last.ID {
		t.Errorf("a new vendor took id %d; the removed one had %d", next.ID, last.ID)
	}
	if rows, err := e.desk.FindAudit(e.ctx, upgradebot.AuditFilter{Entity: "vendor", EntityID: next.ID}); err != nil || len(rows) != 1 {
		t.Errorf("the new vendor's trail: %d rows, %v", len(rows), err)
	}
}

// testReleaseCorrections: a release's GA date and end of support can be
// changed, and a release recorded by mistake removed with the checklist
// tasks it was given, while nothing was done on it (issue 10: there was no
// `release edit` or `release remove`).
func testReleaseCorrections(t *testing.T, e *env) {
	for _, it := range []*upgradebot.ChecklistItem{
		{Phase: upgradebot.PhaseReview, Title: "Read the release notes"},
		{Phase: upgradebot.PhaseBuild, Title: "Build the adopted changes"},
	} {
		ok(t, e.desk.AddChecklistItem(e.ctx, Admin, it))
	}
	r := &upgradebot.Release{Vendor: "MedCore", Name: "2027.1", GA: day("2027-03-01"), Support: day("2028-03-01")}
	ok(t, e.desk.CreateRelease(e.ctx, Alice, r))

	amark := e.lastAudit()
	got, err := e.desk.EditRelease(e.ctx, Bob, r.Key, upgradebot.ReleaseChange{GA: day("2027-03-15")})
	ok(t, err)
	if got.GA != day("2027-03-15") || got.Support != day("2028-03-01") || got.ID != r.ID {
		t.Errorf("edited = %+v", got)
	}
	rows := e.wantActions(amark, "release.edit")
	if len(rows) == 1 && (rows[0].EntityID != r.ID || !strings.Contains(rows[0].Before, `"ga":"2027-03-01"`) || !strings.Contains(rows[0].After, `"ga":"2027-03-15"`)) {
		t.Errorf("audit row = %+v", rows[0])
	}
	got, err = e.desk.EditRelease(e.ctx, Bob, r.Key, upgradebot.ReleaseChange{ClearSupport: true})
	ok(t, err)
	if !got.Support.IsZero() {
		t.Errorf("support after clearing = %s", got.Support)
	}
	got, err = e.desk.EditRelease(e.ctx, Bob, r.Key, upgradebot.ReleaseChange{Support: day("2028-09-01")})
	ok(t, err)
	rs, err := e.desk.FindReleases(e.ctx, upgradebot.ReleaseFilter{Key: r.Key})
	ok(t, err)
	if len(rs) != 1 || rs[0].GA != day("2027-03-15") || rs[0].Support != day("2028-09-01") {
		t.Errorf("read back %+v", rs)
	}
	amark = e.lastAudit()
	_, err = e.desk.EditRelease(e.ctx, Bob, r.Key, upgradebot.ReleaseChange{Support: day("2027-01-01")})
	wantErr(t, err, upgradebot.EINVALID, "before GA")
	_, err = e.desk.EditRelease(e.ctx, Bob, r.Key, upgradebot.ReleaseChange{})
	wantErr(t, err, upgradebot.EINVALID, "Nothing to change")
	_, err = e.desk.EditRelease(e.ctx, Bob, r.Key, upgradebot.ReleaseChange{GA: day("2027-03-15")})
	wantErr(t, err, upgradebot.EINVALID, "nothing changed")
	_, err = e.desk.EditRelease(e.ctx, Bob, "nope-1", upgradebot.ReleaseChange{GA: day("2027-03-15")})
	wantErr(t, err, upgradebot.ENOTFOUND, "no release nope-1")
	e.wantActions(amark)

	// A release nothing was done on goes, with its untouched checklist
	// tasks: cancelled, and no longer tagged with it.
	tasks, _ := e.findTasks(upgradebot.TaskFilter{Release: r.Key})
	if len(tasks) != 2 {
		t.Fatalf("checklist tasks = %+v", tasks)
	}
	amark = e.lastAudit()
	removed, cancelled, err := e.desk.RemoveRelease(e.ctx, Bob, r.Key)
	ok(t, err)
	if removed.ID != r.ID || removed.Key != r.Key || len(cancelled) != 2 {
		t.Fatalf("removed %+v, cancelled %+v", removed, cancelled)
	}
	for _, c := range cancelled {
		if c.Status != upgradebot.StatusCancelled || c.Release != "" || c.ClosedBy != Bob {
			t.Errorf("cancelled task = %+v", c)
		}
	}
	e.wantActions(amark, "task.note", "task.cancel", "task.note", "task.cancel", "task.detach", "task.detach", "release.remove")
	if rs, err := e.desk.FindReleases(e.ctx, upgradebot.ReleaseFilter{}); err != nil || len(rs) != 0 {
		t.Errorf("releases after removing = %+v, %v", rs, err)
	}
	if rows, err := e.desk.FindAudit(e.ctx, upgradebot.AuditFilter{Entity: "release", EntityID: r.ID}); err != nil || len(rows) != 5 {
		t.Errorf("the removed release's trail: %d rows, %v; want add, 3 edits, remove", len(rows), err)
	}
	_, _, err = e.desk.RemoveRelease(e.ctx, Bob, r.Key)
	wantErr(t, err, upgradebot.ENOTFOUND)

	// The key is free again, and the id not reused.
	again := &upgradebot.Release{Vendor: "MedCore", Name: "2027.1", GA: day("2027-03-15")}
	ok(t, e.desk.CreateRelease(e.ctx, Alice, again))
	if again.ID <= r.ID {
		t.Errorf("the new release took id %d; the removed one had %d", again.ID, r.ID)
	}

	// Work on a release keeps it, and the refusal says what work.
	tasks, _ = e.findTasks(upgradebot.TaskFilter{Release: again.Key})
	_, err = e.desk.AssignTask(e.ctx, Admin, tasks[0].ID, Alice)
	ok(t, err)
	_, _, err = e.desk.CompleteTask(e.ctx, Alice, tasks[1].ID, "")
	ok(t, err)
	byHand := e.createTask(Bob, &upgradebot.Task{Title: "Call the vendor", Release: again.Key})
	ok(t, e.desk.LogReleaseItem(e.ctx, Alice, again.Key, &upgradebot.ReleaseItem{Title: "New MAR layout", Verdict: upgradebot.VerdictAdopt}))
	e.setOwner(Owner)
	_, err = e.desk.RecordPhase(e.ctx, Alice, again.Key, upgradebot.PhaseReview, upgradebot.PhaseStart, day("2027-03-16"))
	ok(t, err)
	amark = e.lastAudit()
	_, _, err = e.desk.RemoveRelease(e.ctx, Bob, again.Key)
	wantErr(t, err, upgradebot.ECONFLICT, "so it stays", "recorded phases (review)", "1 logged note item",
		"1 task done (#", "2 open tasks someone added or worked on (#", "release edit "+again.Key)
	e.wantActions(amark)
	if task, err := e.desk.FindTaskByID(e.ctx, byHand.ID); err != nil || task.Release != again.Key || task.Status != upgradebot.StatusOpen {
		t.Errorf("a refused removal changed %+v, %v", task, err)
	}
}
