package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

// Partner is the partner of the partner tests: someone of an outsourced
// managed-services team.
const Partner = "UPARTNER"

// partnerDesk sets up a desk with an owner, two admins, a partner and
// work: the partner's own task, Alice's task, a clean-up of the partner's
// and one of Alice's, a release and a pending decision.
type partnerDesk struct {
	own, alices, cleanup *upgradebot.Task
	cleanupID, alicesCU  int64
	release              string
	decision             int64
}

func (e *env) partnerDesk(t *testing.T) partnerDesk {
	t.Helper()
	e.setOwner(Owner)
	ok(t, e.desk.AddAdmin(e.ctx, Admin, Admin2))
	mark := e.lastAudit()
	ok(t, e.desk.AddPartner(e.ctx, Admin, Partner))
	rows := e.wantActions(mark, "partner.add")
	if len(rows) == 1 && (rows[0].Actor != Admin || rows[0].Entity != "partner" || !strings.Contains(rows[0].After, Partner)) {
		t.Errorf("partner.add audit row %+v", rows[0])
	}
	var d partnerDesk
	d.own = e.createTask(Admin, &upgradebot.Task{Title: "Build the lab order sets", Assignee: Partner, Due: day("2026-12-04"), Estimate: 6 * time.Hour})
	d.alices = e.createTask(Admin, &upgradebot.Task{Title: "Test the ADT interface", Assignee: Alice, Due: day("2026-12-04")})
	every, _ := upgradebot.ParseInterval("2w")
	cu, err := e.desk.CreateMaintenance(e.ctx, Admin, &upgradebot.Maintenance{Title: "Duplicate record clean-up", Every: every, Assignee: Partner, Anchor: day("2026-11-30")})
	ok(t, err)
	d.cleanup, d.cleanupID = cu, cu.MaintenanceID
	acu, err := e.desk.CreateMaintenance(e.ctx, Admin, &upgradebot.Maintenance{Title: "Master file clean-up", Every: every, Assignee: Alice, Anchor: day("2026-11-30")})
	ok(t, err)
	d.alicesCU = acu.MaintenanceID
	r := &upgradebot.Release{Vendor: "MedCore", Name: "2027q1", GA: day("2027-02-15")}
	ok(t, e.desk.CreateRelease(e.ctx, Admin, r))
	d.release = r.Key
	dec := &upgradebot.Decision{Question: "Go live on a Sunday?"}
	_, err = e.desk.CreateDecision(e.ctx, Alice, dec)
	ok(t, err)
	d.decision = dec.ID
	e.deliverAll()
	return d
}

// testPartners: a partner sees the desk and works what is assigned to them;
// everything else is refused, saying what a partner may do and who can do
// the rest, and writes nothing.
func testPartners(t *testing.T, e *env) {
	d := e.partnerDesk(t)
	s := e.settings()
	if !s.IsPartner(Partner) || s.Role(Partner) != upgradebot.RolePartner || s.Role(Alice) != upgradebot.RoleMember {
		t.Fatalf("roles: partners %v", s.Partners)
	}
	admins := "Anyone in the in-house team can do it; admins: <@UADMIN>, <@UADMIN2>."
	onlyAdmins := "Only admins can: <@UADMIN>, <@UADMIN2>."
	every, _ := upgradebot.ParseInterval("1m")
	for _, tc := range []struct {
		desc string
		do   func() error
		want []string // besides upgradebot.PartnerMay
	}{
		{"assign someone else's task", func() error { _, err := e.desk.AssignTask(e.ctx, Partner, d.alices.ID, Partner); return err },
			[]string{"Partners cannot assign or unassign tasks", admins}},
		{"unassign their own task", func() error { _, err := e.desk.AssignTask(e.ctx, Partner, d.own.ID, ""); return err },
			[]string{"Partners cannot assign or unassign tasks", admins}},
		{"cancel someone else's task", func() error { _, err := e.desk.CancelTask(e.ctx, Partner, d.alices.ID, "not needed"); return err },
			[]string{"Partners cannot cancel tasks (whether work is dropped is the team's call).", admins}},
		{"cancel their own task", func() error { _, err := e.desk.CancelTasks(e.ctx, Partner, []int64{d.own.ID}, ""); return err },
			[]string{"Partners cannot cancel tasks"}},
		{"mark someone else's task done", func() error { _, _, err := e.desk.CompleteTask(e.ctx, Partner, d.alices.ID, ""); return err },
			[]string{"Partners can mark done only the tasks assigned to them, and #2 is <@UALICE>'s.", admins}},
		{"mark theirs and another done", func() error {
			_, _, err := e.desk.CompleteTasks(e.ctx, Partner, []int64{d.own.ID, d.alices.ID}, "")
			return err
		}, []string{"#2 is <@UALICE>'s", "None of #1 and #2 was marked done."}},
		{"note someone else's task", func() error { _, err := e.desk.AddTaskNote(e.ctx, Partner, d.alices.ID, "looked at it"); return err },
			[]string{"Partners can add notes to only the tasks assigned to them"}},
		{"move someone else's due date", func() error { _, err := e.desk.SetTaskDue(e.ctx, Partner, d.alices.ID, day("2026-12-11")); return err },
			[]string{"Partners can move the due date of only the tasks assigned to them"}},
		{"edit someone else's task", func() error {
			due := day("2026-12-11")
			_, _, err := e.desk.EditTask(e.ctx, Partner, d.alices.ID, upgradebot.TaskEdit{Due: &due})
			return err
		}, []string{"Partners can edit only the tasks assigned to them"}},
		{"retitle their own task", func() error {
			title := "Build the order sets"
			_, _, err := e.desk.EditTask(e.ctx, Partner, d.own.ID, upgradebot.TaskEdit{Title: &title})
			return err
		}, []string{"Partners cannot change a task's title, priority, kind, release, ref or site (only its due date and estimate)."}},
		{"reopen someone else's task", func() error { _, err := e.desk.ReopenTask(e.ctx, Partner, d.alices.ID); return err },
			[]string{"Partners can reopen only the tasks assigned to them"}},
		{"log time on someone else's task", func() error { _, err := e.desk.LogTime(e.ctx, Partner, d.alices.ID, time.Hour, ""); return err },
			[]string{"Partners can log time on only the tasks assigned to them"}},
		{"add a task for someone", func() error {
			return e.desk.CreateTask(e.ctx, Partner, &upgradebot.Task{Title: "Check the printers", Assignee: Alice})
		}, []string{"Partners cannot name who does the tasks they add: a partner's task waits unassigned for the team to take"}},
		{"add a task for themselves", func() error {
			return e.desk.CreateTask(e.ctx, Partner, &upgradebot.Task{Title: "Check the printers", Assignee: Partner})
		}, []string{"Partners cannot name who does the tasks they add"}},
		{"add tasks in bulk", func() error {
			return e.desk.CreateTasks(e.ctx, Partner, []*upgradebot.Task{{Title: "One"}})
		}, []string{"Partners cannot add tasks in bulk."}},
		{"import tasks", func() error {
			_, err := e.desk.ImportTasks(e.ctx, Partner, []*upgradebot.Task{{Title: "One", Ref: "INC1"}}, upgradebot.ImportOptions{})
			return err
		}, []string{"Partners cannot import tasks."}},
		{"record a release", func() error {
			return e.desk.CreateRelease(e.ctx, Partner, &upgradebot.Release{Vendor: "MedCore", Name: "2027q2", GA: day("2027-05-15")})
		}, []string{"Partners cannot record or change releases.", admins}},
		{"edit a release", func() error {
			_, err := e.desk.EditRelease(e.ctx, Partner, d.release, upgradebot.ReleaseChange{GA: day("2027-02-20")})
			return err
		}, []string{"Partners cannot record or change releases."}},
		{"remove a release", func() error { _, _, err := e.desk.RemoveRelease(e.ctx, Partner, d.release); return err },
			[]string{"Partners cannot record or change releases."}},
		{"record a phase", func() error {
			_, err := e.desk.RecordPhase(e.ctx, Partner, d.release, upgradebot.PhaseReview, upgradebot.PhaseStart, e.today())
			return err
		}, []string{"Partners cannot record or change releases."}},
		{"ask for a phase gate", func() error {
			_, _, err := e.desk.RequestGate(e.ctx, Partner, d.release, upgradebot.PhaseReview, e.today())
			return err
		}, []string{"Partners cannot record or change releases."}},
		{"log a release-note item", func() error {
			return e.desk.LogReleaseItem(e.ctx, Partner, d.release, &upgradebot.ReleaseItem{Title: "New MAR", Verdict: upgradebot.VerdictAdopt})
		}, []string{"Partners cannot record or change releases."}},
		{"set a vendor", func() error {
			return e.desk.SetVendor(e.ctx, Partner, &upgradebot.Vendor{Name: "MedCore", CadenceDays: 91})
		},
			[]string{"Partners cannot change vendors."}},
		{"rename a vendor", func() error {
			_, _, err := e.desk.RenameVendor(e.ctx, Partner, "MedCore", "MedCore Health")
			return err
		},
			[]string{"Partners cannot change vendors."}},
		{"remove a vendor", func() error { _, err := e.desk.RemoveVendor(e.ctx, Partner, "MedCore"); return err },
			[]string{"Partners cannot change vendors."}},
		{"change the checklist", func() error {
			return e.desk.AddChecklistItem(e.ctx, Partner, &upgradebot.ChecklistItem{Phase: upgradebot.PhaseBuild, Title: "Build it"})
		}, []string{"Partners cannot change the release checklist.", onlyAdmins}},
		{"record a freeze", func() error {
			return e.desk.CreateFreeze(e.ctx, Partner, &upgradebot.Freeze{From: day("2026-12-14"), To: day("2026-12-20"), Reason: "go-live"})
		}, []string{"Partners cannot record a freeze.", onlyAdmins}},
		{"change settings", func() error {
			return e.desk.SetSettings(e.ctx, Partner, map[string]string{upgradebot.SettingLeads: "30,7"})
		},
			[]string{"Partners cannot change settings.", onlyAdmins}},
		{"set the holidays", func() error { return e.desk.SetHolidays(e.ctx, Partner, []upgradebot.Date{day("2026-12-25")}) },
			[]string{"Partners cannot set the team's holidays.", onlyAdmins}},
		{"set the owner", func() error { return e.desk.SetOwner(e.ctx, Partner, Alice) },
			[]string{"Partners cannot set the decision owner.", onlyAdmins}},
		{"make admins", func() error { return e.desk.AddAdmin(e.ctx, Partner, Alice) },
			[]string{"Partners cannot add admins.", onlyAdmins}},
		{"make partners", func() error { return e.desk.AddPartner(e.ctx, Partner, Bob) },
			[]string{"Partners cannot make someone a partner.", onlyAdmins}},
		{"add a site", func() error {
			return e.desk.AddSite(e.ctx, Partner, &upgradebot.Site{Key: "north", Name: "North Campus"})
		},
			[]string{"Partners cannot change the sites.", onlyAdmins}},
		{"set up a clean-up", func() error {
			_, err := e.desk.CreateMaintenance(e.ctx, Partner, &upgradebot.Maintenance{Title: "Provider clean-up", Every: every, Anchor: day("2026-12-01")})
			return err
		}, []string{"Partners cannot set up recurring clean-ups."}},
		{"change their own clean-up", func() error {
			_, err := e.desk.PauseMaintenance(e.ctx, Partner, d.cleanupID)
			return err
		}, []string{"Partners cannot change recurring clean-ups."}},
		{"remove a clean-up", func() error { _, err := e.desk.RemoveMaintenance(e.ctx, Partner, d.alicesCU); return err },
			[]string{"Partners cannot change recurring clean-ups."}},
		{"record someone else's queue", func() error { _, err := e.desk.SetQueue(e.ctx, Partner, d.alicesCU, 100, 20); return err },
			[]string{"Partners cannot record the queue of a clean-up that is not assigned to them."}},
		{"ask for a decision", func() error {
			_, err := e.desk.CreateDecision(e.ctx, Partner, &upgradebot.Decision{Question: "Skip a release?"})
			return err
		}, []string{"Partners cannot ask for decisions (a team member raises it with the decision owner).", admins}},
		{"decide", func() error {
			_, err := e.desk.Decide(e.ctx, Partner, d.decision, upgradebot.DecisionApproved, "")
			return err
		}, []string{"Partners cannot decide.", "Only the decision owner <@UOWNER> (or their delegate while they are away) decides."}},
		{"retry failed messages", func() error { _, err := e.desk.RetryFailed(e.ctx, Partner, 0); return err },
			[]string{"Partners cannot retry failed messages.", onlyAdmins}},
		{"mute someone else", func() error { _, err := e.desk.SetMute(e.ctx, Partner, Alice, upgradebot.Date{}); return err },
			[]string{"Partners cannot mute someone else's reminders."}},
		{"scan for patient data", func() error { _, err := e.desk.ScanPHI(e.ctx, Partner); return err },
			[]string{"Partners cannot scan the desk for patient data.", onlyAdmins}},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			snap := []*upgradebot.Task{e.task(d.own.ID), e.task(d.alices.ID)}
			amark, mark := e.lastAudit(), e.lastMessage()
			err := tc.do()
			wantErr(t, err, upgradebot.EFORBIDDEN, append(tc.want, upgradebot.PartnerMay)...)
			e.wantUnchanged(amark, mark, snap...)
		})
	}

	// What a partner may do: each is allowed and audited as theirs.
	for _, tc := range []struct {
		desc   string
		do     func() error
		action string
	}{
		{"note their own task", func() error { _, err := e.desk.AddTaskNote(e.ctx, Partner, d.own.ID, "order sets drafted"); return err }, "task.note"},
		{"log time on their own task", func() error {
			_, err := e.desk.LogTime(e.ctx, Partner, d.own.ID, 90*time.Minute, "first pass")
			return err
		}, "task.time"},
		{"correct their estimate", func() error {
			est := 8 * time.Hour
			_, _, err := e.desk.EditTask(e.ctx, Partner, d.own.ID, upgradebot.TaskEdit{Estimate: &est})
			return err
		}, "task.edit"},
		{"record their clean-up's queue", func() error { _, err := e.desk.SetQueue(e.ctx, Partner, d.cleanupID, 240, 30); return err }, "maintenance.queue"},
		{"set their own away window", func() error {
			return e.desk.SetAway(e.ctx, Partner, &upgradebot.Away{User: Partner, From: day("2026-12-21"), To: day("2026-12-24")})
		}, "away.set"},
		{"mute their own reminders", func() error { _, err := e.desk.SetMute(e.ctx, Partner, Partner, upgradebot.Date{}); return err }, "mute.set"},
		{"mark their own task done", func() error { _, _, err := e.desk.CompleteTask(e.ctx, Partner, d.own.ID, "built"); return err }, "task.note"},
		{"reopen their own task", func() error { _, err := e.desk.ReopenTask(e.ctx, Partner, d.own.ID); return err }, "task.reopen"},
		{"undo their own change", func() error { _, err := e.desk.UndoTaskChange(e.ctx, Partner); return err }, "task.undo"},
		{"reopen it again", func() error { _, err := e.desk.ReopenTask(e.ctx, Partner, d.own.ID); return err }, "task.reopen"},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			mark := e.lastAudit()
			if err := tc.do(); err != nil {
				t.Fatalf("a partner may %s: %v", tc.desc, err)
			}
			rows := e.newAudit(mark)
			if len(rows) == 0 || rows[0].Action != tc.action || rows[0].Actor != Partner {
				t.Errorf("audit after %s: %+v, want %s by the partner first", tc.desc, rows, tc.action)
			}
		})
	}
	// Reading is everyone's.
	if _, _, err := e.desk.FindTasks(e.ctx, upgradebot.TaskFilter{}); err != nil {
		t.Errorf("a partner cannot read: %v", err)
	}

	// A partner's new task lands unassigned and each admin is told.
	mark := e.lastMessage()
	added := &upgradebot.Task{Title: "Check the label printers at the lab", Due: day("2026-12-09")}
	ok(t, e.desk.CreateTask(e.ctx, Partner, added))
	if got := e.task(added.ID); got.Assignee != "" || got.CreatedBy != Partner {
		t.Errorf("a partner's task = %s, want it unassigned and theirs", taskString(got))
	}
	msgs := e.wantMessages(mark, "dm UADMIN", "dm UADMIN2")
	for _, m := range msgs {
		for _, w := range []string{"<@UPARTNER> (partner) added #", "Check the label printers", "unassigned", "/upgrade assign"} {
			if !strings.Contains(m.Text, w) {
				t.Errorf("admin DM %q does not say %q", m.Text, w)
			}
		}
	}

	// A partner's due change applies and the team channel is told; a
	// member's is not posted.
	mark = e.lastMessage()
	moved, err := e.desk.SetTaskDue(e.ctx, Partner, d.own.ID, day("2026-12-11"))
	ok(t, err)
	if moved.Due != day("2026-12-11") {
		t.Errorf("due = %s", moved.Due)
	}
	msgs = e.wantMessages(mark, "post "+Channel)
	if len(msgs) == 1 && !strings.Contains(msgs[0].Text, "<@UPARTNER> (partner) moved the due date of their task #1 Build the lab order sets: Fri 4 Dec 2026 → Fri 11 Dec 2026.") {
		t.Errorf("team post %q", msgs[0].Text)
	}
	mark = e.lastMessage()
	due := day("2026-12-15")
	_, _, err = e.desk.EditTask(e.ctx, Partner, d.own.ID, upgradebot.TaskEdit{Due: &due})
	ok(t, err)
	e.wantMessages(mark, "post "+Channel)
	mark = e.lastMessage()
	_, err = e.desk.SetTaskDue(e.ctx, Alice, d.alices.ID, day("2026-12-11"))
	ok(t, err)
	e.wantMessages(mark)

	// Someone is an admin or a partner, and a partner never decides.
	wantErr(t, e.desk.AddPartner(e.ctx, Admin, Admin2), upgradebot.ECONFLICT, "is an admin")
	wantErr(t, e.desk.AddPartner(e.ctx, Admin, Owner), upgradebot.ECONFLICT, "is the decision owner")
	wantErr(t, e.desk.AddAdmin(e.ctx, Admin, Partner), upgradebot.ECONFLICT, "is a partner")
	wantErr(t, e.desk.SetOwner(e.ctx, Admin, Partner), upgradebot.ECONFLICT, "a partner cannot decide")
	wantErr(t, e.desk.SetAway(e.ctx, Owner, &upgradebot.Away{User: Owner, From: day("2026-12-21"), To: day("2026-12-24"), Delegate: Partner}),
		upgradebot.ECONFLICT, "cannot be the delegate")
	ok(t, e.desk.SetAway(e.ctx, Owner, &upgradebot.Away{User: Owner, From: day("2026-12-21"), To: day("2026-12-24"), Delegate: Bob}))
	wantErr(t, e.desk.AddPartner(e.ctx, Admin, Bob), upgradebot.ECONFLICT, "delegate")
	wantErr(t, e.desk.AddPartner(e.ctx, Alice, Bob), upgradebot.EFORBIDDEN, "Only admins can make someone a partner")

	// Removing the role: audited, and the former partner is a member.
	amark := e.lastAudit()
	ok(t, e.desk.AddPartner(e.ctx, Admin, Partner)) // again: nothing changes
	e.wantActions(amark)
	wantErr(t, e.desk.RemovePartner(e.ctx, Admin, Alice), upgradebot.ENOTFOUND, "<@UALICE> is not a partner.")
	ok(t, e.desk.RemovePartner(e.ctx, Admin, Partner))
	rows := e.wantActions(amark, "partner.remove")
	if len(rows) == 1 && (rows[0].Actor != Admin || !strings.Contains(rows[0].Before, Partner)) {
		t.Errorf("partner.remove audit row %+v", rows[0])
	}
	if e.settings().IsPartner(Partner) {
		t.Fatal("still a partner")
	}
	if _, err := e.desk.CancelTask(e.ctx, Partner, d.alices.ID, "done elsewhere"); err != nil {
		t.Errorf("a member again cannot cancel: %v", err)
	}
	// The environment's admins are admins: one made a partner is not one
	// any more.
	ok(t, e.desk.AddPartner(e.ctx, Admin, Partner))
	ok(t, e.desk.Bootstrap(e.ctx, "", "", []string{Partner}))
	if s := e.settings(); s.IsPartner(Partner) || !s.IsAdmin(Partner) {
		t.Errorf("after Bootstrap: partners %v, admins %v", s.Partners, s.Admins)
	}
}
