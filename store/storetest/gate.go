package storetest

import (
	"strings"
	"testing"

	"github.com/upgradebot/upgradebot"
)

// testPhaseGates covers closing a phase as a decision routed to the owner:
// only who decides records a phase done; anyone else asks with a gate,
// checked before it is sent, one pending at a time; approving it records
// the phase done in the same transaction, rejecting leaves it open.
func testPhaseGates(t *testing.T, e *env) {
	r := &upgradebot.Release{Vendor: "MedCore", Name: "2027.1", GA: day("2026-10-01")}
	ok(t, e.desk.CreateRelease(e.ctx, Admin, r))
	_, err := e.desk.RecordPhase(e.ctx, Alice, r.Key, upgradebot.PhaseBuild, upgradebot.PhaseStart, day("2026-11-02"))
	ok(t, err)

	// With no owner there is nobody to ask, and nobody closes phases.
	_, _, err = e.desk.RequestGate(e.ctx, Alice, r.Key, upgradebot.PhaseBuild, day("2026-11-30"))
	wantErr(t, err, upgradebot.ECONFLICT, "No decision owner", "/upgrade owner @name")
	_, err = e.desk.RecordPhase(e.ctx, Alice, r.Key, upgradebot.PhaseBuild, upgradebot.PhaseDone, day("2026-11-30"))
	wantErr(t, err, upgradebot.ECONFLICT, "No decision owner")
	e.setOwner(Owner)

	// Anyone else is refused, and told how to ask.
	amark, mmark := e.lastAudit(), e.lastMessage()
	_, err = e.desk.RecordPhase(e.ctx, Alice, r.Key, upgradebot.PhaseBuild, upgradebot.PhaseDone, day("2026-11-30"))
	wantErr(t, err, upgradebot.EFORBIDDEN, "Only the decision owner <@UOWNER>", "closes phases",
		"`/upgrade release medcore-2027.1 phase build done`")

	// A request that approving could not honour fails at once.
	for _, c := range []struct {
		desc, key string
		phase     upgradebot.Phase
		day       string
		code      string
		part      string
	}{
		{"not started", r.Key, upgradebot.PhaseTest, "2026-11-30", upgradebot.ECONFLICT, "has not started"},
		{"before its start", r.Key, upgradebot.PhaseBuild, "2026-11-01", upgradebot.EINVALID, "started on Mon 2 Nov 2026"},
		{"unknown release", "nope-1", upgradebot.PhaseBuild, "2026-11-30", upgradebot.ENOTFOUND, "no release nope-1"},
		{"unknown phase", r.Key, "deploy", "2026-11-30", upgradebot.EINVALID, "not a phase"},
	} {
		_, _, err := e.desk.RequestGate(e.ctx, Alice, c.key, c.phase, day(c.day))
		if upgradebot.ErrorCode(err) != c.code || !strings.Contains(upgradebot.ErrorMessage(err), c.part) {
			t.Errorf("%s: RequestGate = %v, want %s with %q", c.desc, err, c.code, c.part)
		}
	}
	e.wantActions(amark)
	e.wantMessages(mmark)

	// A good one is a decision routed to the owner, with its buttons; it
	// says how much of the phase's work is still open.
	e.createTask(Bob, &upgradebot.Task{Title: "Build the order sets", Release: r.Key, Phase: upgradebot.PhaseBuild})
	e.createTask(Bob, &upgradebot.Task{Title: "Test the order sets", Release: r.Key, Phase: upgradebot.PhaseTest})
	amark, mmark = e.lastAudit(), e.lastMessage()
	d, route, err := e.desk.RequestGate(e.ctx, Alice, r.Key, upgradebot.PhaseBuild, day("2026-11-30"))
	ok(t, err)
	if route.To != Owner || route.Delegated || d.RoutedTo != Owner || d.RequestedBy != Alice ||
		d.Status != upgradebot.DecisionPending || !d.IsGate() {
		t.Errorf("gate = %+v routed %+v, want pending on the owner", d, route)
	}
	wantQ := "Gate: close the build phase of `medcore-2027.1` (MedCore 2027.1) on Mon 30 Nov 2026 so test can start? 1 build task is still open."
	if got := e.decision(d.ID); got.Question != wantQ || got.ReleaseID != r.ID || got.Release != r.Key ||
		got.Phase != upgradebot.PhaseBuild || got.GateDay != day("2026-11-30") {
		t.Errorf("stored gate = %+v, want %q on release %d", got, wantQ, r.ID)
	}
	rows := e.wantActions(amark, "decision.request")
	if len(rows) == 1 && (!strings.Contains(rows[0].After, `"phase":"build"`) || !strings.Contains(rows[0].After, `"gate_day":"2026-11-30"`)) {
		t.Errorf("audit row = %+v", rows[0])
	}
	msgs := e.wantMessages(mmark, "dm "+Owner)
	if len(msgs) == 1 && (msgs[0].DecisionID != d.ID || !strings.Contains(msgs[0].Text, "Gate: close the build phase")) {
		t.Errorf("request = %+v", msgs[0])
	}
	if ps, err := e.desk.FindPhases(e.ctx, r.Key); err != nil || len(ps) != 1 || !ps[0].End.IsZero() {
		t.Errorf("phases = %+v, %v: asking closed the phase", ps, err)
	}

	// One pending gate per phase.
	_, _, err = e.desk.RequestGate(e.ctx, Bob, r.Key, upgradebot.PhaseBuild, day("2026-11-27"))
	wantErr(t, err, upgradebot.ECONFLICT, "already waits on <@UOWNER>", "decision #1")

	// It waits like any decision, and only the owner answers it.
	pending, err := e.desk.FindDecisions(e.ctx, upgradebot.DecisionFilter{Status: upgradebot.DecisionPending})
	ok(t, err)
	if len(pending) != 1 || pending[0].ID != d.ID || pending[0].Phase != upgradebot.PhaseBuild {
		t.Errorf("pending decisions = %+v", pending)
	}
	for _, who := range []string{Alice, Bob, Admin} {
		_, err = e.desk.Decide(e.ctx, who, d.ID, upgradebot.DecisionApproved, "")
		wantErr(t, err, upgradebot.EFORBIDDEN, "Only the decision owner")
	}

	// Approving records the phase done on the day asked, in one go.
	amark, mmark = e.lastAudit(), e.lastMessage()
	d, err = e.desk.Decide(e.ctx, Owner, d.ID, upgradebot.DecisionApproved, "build signed off")
	ok(t, err)
	if want := "The build phase of `medcore-2027.1` is recorded done on Mon 30 Nov 2026."; d.GateResult != want {
		t.Errorf("approved gate's result = %q, want %q", d.GateResult, want)
	}
	rows = e.wantActions(amark, "decision.approve", "release.phase")
	if len(rows) == 2 && (rows[1].Actor != Owner || rows[1].EntityID != r.ID || !strings.Contains(rows[1].After, `"end":"2026-11-30"`)) {
		t.Errorf("phase audit row = %+v", rows[1])
	}
	ps, err := e.desk.FindPhases(e.ctx, r.Key)
	ok(t, err)
	if len(ps) != 1 || ps[0].End != day("2026-11-30") || ps[0].UpdatedBy != Owner {
		t.Errorf("phases = %+v, want build done on 30 Nov by the owner", ps)
	}
	msgs = e.wantMessages(mmark, "update "+Owner, "dm "+Alice, "post "+Channel)
	for _, m := range msgs {
		// Issue 15: the card updated in place says "✅ Approved by …, 09:00".
		if !strings.Contains(strings.ToLower(m.Text), "approved by <@uowner>") || !strings.Contains(m.Text, "The build phase of `medcore-2027.1` is recorded done on Mon 30 Nov 2026.") {
			t.Errorf("outcome %s %s: %q", m.Kind, m.To, m.Text)
		}
	}

	// Rejecting leaves the phase open and tells the requester why.
	_, err = e.desk.RecordPhase(e.ctx, Alice, r.Key, upgradebot.PhaseTest, upgradebot.PhaseStart, day("2026-11-30"))
	ok(t, err)
	rej, _, err := e.desk.RequestGate(e.ctx, Bob, r.Key, upgradebot.PhaseTest, day("2026-12-18"))
	ok(t, err)
	if !strings.HasSuffix(rej.Question, "so train can start? 1 test task is still open.") {
		t.Errorf("question = %q", rej.Question)
	}
	amark, mmark = e.lastAudit(), e.lastMessage()
	rejected, err := e.desk.Decide(e.ctx, Owner, rej.ID, upgradebot.DecisionRejected, "two defects still open")
	ok(t, err)
	if want := "The test phase of `medcore-2027.1` stays open."; rejected.GateResult != want {
		t.Errorf("rejected gate's result = %q, want %q", rejected.GateResult, want)
	}
	e.wantActions(amark, "decision.reject")
	msgs = e.wantMessages(mmark, "update "+Owner, "dm "+Bob, "post "+Channel)
	if len(msgs) == 3 && (!strings.Contains(msgs[1].Text, "two defects still open") || !strings.Contains(msgs[1].Text, "The test phase of `medcore-2027.1` stays open.")) {
		t.Errorf("requester told %q", msgs[1].Text)
	}
	if ps, err := e.desk.FindPhases(e.ctx, r.Key); err != nil || len(ps) != 2 || !ps[1].End.IsZero() {
		t.Errorf("phases = %+v, %v: a rejected gate closed the phase", ps, err)
	}

	// While the owner is away, the delegate is asked and may approve; the
	// owner still may close a phase.
	ok(t, e.desk.SetAway(e.ctx, Owner, &upgradebot.Away{User: Owner, From: e.today(), To: day("2026-12-04"), Delegate: Delegate}))
	dg, route, err := e.desk.RequestGate(e.ctx, Alice, r.Key, upgradebot.PhaseTest, day("2026-12-18"))
	ok(t, err)
	if route.To != Delegate || !route.Delegated || dg.RoutedTo != Delegate || dg.OnBehalfOf != Owner {
		t.Errorf("gate while away = %+v routed %+v, want the delegate", dg, route)
	}
	_, err = e.desk.RecordPhase(e.ctx, Bob, r.Key, upgradebot.PhaseTest, upgradebot.PhaseDone, day("2026-12-18"))
	wantErr(t, err, upgradebot.EFORBIDDEN, "closes phases")
	amark = e.lastAudit()
	_, err = e.desk.Decide(e.ctx, Delegate, dg.ID, upgradebot.DecisionApproved, "")
	ok(t, err)
	rows = e.wantActions(amark, "decision.approve", "release.phase")
	if len(rows) == 2 && rows[1].Actor != Delegate {
		t.Errorf("phase closed by %q, want the delegate", rows[1].Actor)
	}

	// The owner closing the phase directly settles its pending gate in the
	// same transaction: approved by the owner, the requester told the phase
	// was already done, and nothing left to remind anyone of.
	_, err = e.desk.RecordPhase(e.ctx, Delegate, r.Key, upgradebot.PhaseTrain, upgradebot.PhaseStart, day("2026-12-18"))
	ok(t, err)
	late, _, err := e.desk.RequestGate(e.ctx, Alice, r.Key, upgradebot.PhaseTrain, day("2027-01-08"))
	ok(t, err)
	amark, mmark = e.lastAudit(), e.lastMessage()
	_, err = e.desk.RecordPhase(e.ctx, Owner, r.Key, upgradebot.PhaseTrain, upgradebot.PhaseDone, day("2027-01-06"))
	ok(t, err)
	e.wantActions(amark, "release.phase", "decision.approve")
	msgs = e.wantMessages(mmark, "update "+Delegate, "dm "+Alice, "post "+Channel)
	if len(msgs) == 3 && !strings.Contains(msgs[1].Text, "The train phase of `medcore-2027.1` was already done on Wed 6 Jan 2027.") {
		t.Errorf("requester told %q", msgs[1].Text)
	}
	settled, err := e.desk.FindDecisions(e.ctx, upgradebot.DecisionFilter{ID: late.ID})
	ok(t, err)
	if len(settled) != 1 || settled[0].Status != upgradebot.DecisionApproved || settled[0].DecidedBy != Owner ||
		settled[0].Comment != "Closed directly on Wed 6 Jan 2027." {
		t.Errorf("gate after the phase was closed directly = %+v", settled)
	}
	_, err = e.desk.Decide(e.ctx, Owner, late.ID, upgradebot.DecisionApproved, "")
	wantErr(t, err, upgradebot.ECONFLICT, "already approved")
	ps, err = e.desk.FindPhases(e.ctx, r.Key)
	ok(t, err)
	if len(ps) != 3 || ps[2].End != day("2027-01-06") {
		t.Errorf("phases = %+v, want train done on 6 Jan as recorded", ps)
	}

	// The go-live gate says what closing it means.
	_, err = e.desk.RecordPhase(e.ctx, Alice, r.Key, upgradebot.PhaseGoLive, upgradebot.PhaseStart, day("2027-01-11"))
	ok(t, err)
	live, _, err := e.desk.RequestGate(e.ctx, Alice, r.Key, upgradebot.PhaseGoLive, day("2027-01-15"))
	ok(t, err)
	if !strings.HasSuffix(live.Question, "on Fri 15 Jan 2027 so the release is live?") {
		t.Errorf("go-live question = %q", live.Question)
	}
}
