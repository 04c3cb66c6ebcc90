package storetest

import (
	"strings"
	"testing"

	"github.com/upgradebot/upgradebot"
)

// testForecastData covers vendors' cadences and releases' phases: each
// change audited, a second start or done refused, a vendor found whatever
// the case of its name.
func testForecastData(t *testing.T, e *env) {
	amark := e.lastAudit()
	v := &upgradebot.Vendor{Name: "MedCore", CadenceDays: 91}
	ok(t, e.desk.SetVendor(e.ctx, Alice, v))
	if v.ID == 0 || v.UpdatedBy != Alice {
		t.Errorf("vendor = %+v", v)
	}
	ok(t, e.desk.SetVendor(e.ctx, Bob, &upgradebot.Vendor{Name: "medcore", CadenceDays: 84, SupportDays: 364}))
	wantErr(t, e.desk.SetVendor(e.ctx, Bob, &upgradebot.Vendor{Name: "LabSys", CadenceDays: 0}), upgradebot.EINVALID, "cadence")
	vs, err := e.desk.FindVendors(e.ctx)
	ok(t, err)
	// Issue 10: "vendor medcore …" changes MedCore, it does not rename it.
	if len(vs) != 1 || vs[0].ID != v.ID || vs[0].CadenceDays != 84 || vs[0].SupportDays != 364 || vs[0].Name != "MedCore" {
		t.Fatalf("vendors = %+v, want MedCore every 84 days", vs)
	}
	rows := e.wantActions(amark, "vendor.set", "vendor.set")
	if len(rows) == 2 && (rows[1].Entity != "vendor" || !strings.Contains(rows[1].Before, `"cadence_days":91`) || !strings.Contains(rows[1].After, `"cadence_days":84`)) {
		t.Errorf("audit row = %+v", rows[1])
	}

	r := &upgradebot.Release{Vendor: "MedCore", Name: "2027.1", GA: day("2027-03-01")}
	ok(t, e.desk.CreateRelease(e.ctx, Admin, r))
	e.setOwner(Owner) // who closes phases
	amark = e.lastAudit()
	p, err := e.desk.RecordPhase(e.ctx, Alice, r.Key, upgradebot.PhaseReview, upgradebot.PhaseStart, day("2027-03-02"))
	ok(t, err)
	if p.Start != day("2027-03-02") || p.PlannedEnd != day("2027-03-16") || p.ReleaseID != r.ID {
		t.Errorf("phase = %+v, want started 2 Mar and planned to 16 Mar", p)
	}
	_, err = e.desk.RecordPhase(e.ctx, Alice, r.Key, upgradebot.PhaseReview, upgradebot.PhaseStart, day("2027-03-03"))
	wantErr(t, err, upgradebot.ECONFLICT, "already started")
	_, err = e.desk.RecordPhase(e.ctx, Alice, r.Key, upgradebot.PhaseBuild, upgradebot.PhaseDone, day("2027-03-03"))
	wantErr(t, err, upgradebot.ECONFLICT, "has not started")
	_, err = e.desk.RecordPhase(e.ctx, Alice, r.Key, upgradebot.PhaseReview, upgradebot.PhaseDone, day("2027-03-01"))
	wantErr(t, err, upgradebot.EINVALID, "before")
	_, err = e.desk.RecordPhase(e.ctx, Alice, "nope-1", upgradebot.PhaseReview, upgradebot.PhaseStart, day("2027-03-01"))
	wantErr(t, err, upgradebot.ENOTFOUND)
	_, err = e.desk.RecordPhase(e.ctx, Alice, r.Key, "deploy", upgradebot.PhaseStart, day("2027-03-01"))
	wantErr(t, err, upgradebot.EINVALID, "not a phase")
	_, err = e.desk.RecordPhase(e.ctx, Bob, r.Key, upgradebot.PhaseBuild, upgradebot.PhaseStart, day("2027-03-16"))
	ok(t, err)
	_, err = e.desk.RecordPhase(e.ctx, Owner, r.Key, upgradebot.PhaseReview, upgradebot.PhaseDone, day("2027-03-16"))
	ok(t, err)
	rows = e.wantActions(amark, "release.phase", "release.phase", "release.phase")
	if len(rows) == 3 && (rows[2].EntityID != r.ID || rows[2].Before == "" || !strings.Contains(rows[2].After, `"end":"2027-03-16"`)) {
		t.Errorf("audit row = %+v", rows[2])
	}

	ps, err := e.desk.FindPhases(e.ctx, r.Key)
	ok(t, err)
	if len(ps) != 2 || ps[0].Phase != upgradebot.PhaseReview || ps[0].End != day("2027-03-16") || ps[1].Phase != upgradebot.PhaseBuild || ps[1].UpdatedBy != Bob {
		t.Errorf("phases = %+v, want review done 16 Mar then build", ps)
	}
	all, err := e.desk.FindPhases(e.ctx, "")
	ok(t, err)
	if len(all) != 2 || all[0].Release != r.Key {
		t.Errorf("all phases = %+v", all)
	}
}
