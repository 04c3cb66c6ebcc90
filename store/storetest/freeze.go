package storetest

import (
	"testing"

	"github.com/upgradebot/upgradebot"
)

// testFreezes: freezes are admin-only, validated, audited, listed by start
// day from a day on, removed by id, and the digest reads the one in force
// or the next.
func testFreezes(t *testing.T, e *env) {
	today := e.today()
	goLive := &upgradebot.Freeze{From: day("2026-12-14"), To: day("2026-12-20"), Reason: "go-live"}
	wantErr(t, e.desk.CreateFreeze(e.ctx, Alice, goLive), upgradebot.EFORBIDDEN, "Only admins", "<@"+Admin+">")
	wantErr(t, e.desk.CreateFreeze(e.ctx, "", goLive), upgradebot.EINVALID)
	for _, bad := range []*upgradebot.Freeze{
		{From: day("2026-12-20"), To: day("2026-12-14"), Reason: "backwards"},
		{From: day("2026-12-14"), Reason: "no end"},
		{From: day("2026-12-14"), To: day("2026-12-20")},
		{From: today.AddDays(-5), To: today.AddDays(-1), Reason: "over"},
	} {
		wantErr(t, e.desk.CreateFreeze(e.ctx, Admin, bad), upgradebot.EINVALID)
	}

	d, err := e.desk.DigestData(e.ctx, e.clock.Now(), today, 10)
	ok(t, err)
	if d.NextFreeze != nil {
		t.Errorf("NextFreeze with none = %+v", d.NextFreeze)
	}

	blackout := &upgradebot.Freeze{From: day("2027-01-04"), To: day("2027-01-08"), Reason: "clinical blackout"}
	ok(t, e.desk.CreateFreeze(e.ctx, Admin, blackout))
	ok(t, e.desk.CreateFreeze(e.ctx, Admin, goLive))
	now := &upgradebot.Freeze{From: today.AddDays(-1), To: today, Reason: "audit"}
	ok(t, e.desk.CreateFreeze(e.ctx, Admin, now))
	if goLive.ID == 0 || goLive.CreatedBy != Admin || !goLive.CreatedAt.Equal(e.clock.Now()) {
		t.Errorf("created = %+v", goLive)
	}

	all, err := e.desk.FindFreezes(e.ctx, upgradebot.Date{})
	ok(t, err)
	if got := freezeIDs(all); len(got) != 3 || got[0] != now.ID || got[1] != goLive.ID || got[2] != blackout.ID {
		t.Errorf("FindFreezes(all) = %v, want by start day", got)
	}
	if all[1].From != goLive.From || all[1].To != goLive.To || all[1].Reason != "go-live" || all[1].CreatedBy != Admin {
		t.Errorf("read back %+v", all[1])
	}
	later, err := e.desk.FindFreezes(e.ctx, today.AddDays(1))
	ok(t, err)
	if got := freezeIDs(later); len(got) != 2 || got[0] != goLive.ID {
		t.Errorf("FindFreezes(tomorrow) = %v", got)
	}

	d, err = e.desk.DigestData(e.ctx, e.clock.Now(), today, 10)
	ok(t, err)
	if d.NextFreeze == nil || d.NextFreeze.ID != now.ID {
		t.Errorf("NextFreeze today = %+v, want the one in force", d.NextFreeze)
	}
	d, err = e.desk.DigestData(e.ctx, e.clock.Now(), today.AddDays(1), 10)
	ok(t, err)
	if d.NextFreeze == nil || d.NextFreeze.ID != goLive.ID {
		t.Errorf("NextFreeze tomorrow = %+v, want the go-live", d.NextFreeze)
	}

	_, err = e.desk.DeleteFreeze(e.ctx, Alice, goLive.ID)
	wantErr(t, err, upgradebot.EFORBIDDEN)
	gone, err := e.desk.DeleteFreeze(e.ctx, Admin, goLive.ID)
	ok(t, err)
	if gone.ID != goLive.ID || gone.Reason != "go-live" {
		t.Errorf("deleted %+v", gone)
	}
	_, err = e.desk.DeleteFreeze(e.ctx, Admin, goLive.ID)
	wantErr(t, err, upgradebot.ENOTFOUND)

	again := &upgradebot.Freeze{From: day("2027-02-01"), To: day("2027-02-02"), Reason: "again"}
	ok(t, e.desk.CreateFreeze(e.ctx, Admin, again))
	if again.ID == goLive.ID {
		t.Errorf("a removed freeze's id %d was reused", goLive.ID)
	}

	rows, err := e.desk.FindAudit(e.ctx, upgradebot.AuditFilter{Entity: "freeze", EntityID: goLive.ID})
	ok(t, err)
	if len(rows) != 2 || rows[0].Action != "freeze.remove" || rows[0].Actor != Admin || rows[0].Before == "" ||
		rows[1].Action != "freeze.add" || rows[1].After == "" {
		t.Errorf("audit = %+v", rows)
	}
}

func freezeIDs(fs []*upgradebot.Freeze) []int64 {
	out := make([]int64, len(fs))
	for i, f := range fs {
		out[i] = f.ID
	}
	return out
}
