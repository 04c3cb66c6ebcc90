package upgradebot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

// A freeze of one site holds that site's work and the whole system's; a
// freeze of every site holds all work.
func TestFreezeAppliesTo(t *testing.T) {
	north := &upgradebot.Freeze{ID: 1, From: date("2026-12-14"), To: date("2026-12-20"), Reason: "go-live", Site: "north"}
	all := &upgradebot.Freeze{ID: 2, From: date("2026-12-24"), To: date("2026-12-26"), Reason: "holiday"}
	for _, tc := range []struct {
		day, site string
		want      int64 // the freeze's id, 0 for none
	}{
		{"2026-12-15", "north", 1},
		{"2026-12-15", "", 1}, // whole-system work takes part in North's go-live
		{"2026-12-15", "south", 0},
		{"2026-12-25", "south", 2},
		{"2026-12-25", "north", 2},
		{"2026-12-21", "north", 0},
	} {
		got := upgradebot.FreezeOnSite([]*upgradebot.Freeze{north, all}, date(tc.day), tc.site)
		if (got == nil && tc.want != 0) || (got != nil && got.ID != tc.want) {
			t.Errorf("FreezeOnSite(%s, %q) = %+v, want freeze %d", tc.day, tc.site, got, tc.want)
		}
	}
	if f := upgradebot.FreezeOverSite([]*upgradebot.Freeze{north}, date("2026-12-10"), date("2026-12-14"), "south"); f != nil {
		t.Errorf("South's phase overlaps North's freeze: %+v", f)
	}
	if got := upgradebot.FreezeLine(north, date("2026-12-02")); got != "Next freeze: go-live freeze at north in 12 days, Mon 14 Dec – Sun 20 Dec" {
		t.Errorf("FreezeLine = %q", got)
	}
}

// With more than one site the digest's task lists are grouped by site, the
// whole system's last; "…and N more" still counts tasks, not headings; a
// task is flagged only by a freeze that holds its site.
func TestBuildDigestBySite(t *testing.T) {
	d := upgradebot.DigestData{
		Now: digestNow, Today: date("2026-11-30"),
		Sites: []upgradebot.Site{{Key: "north", Name: "North Campus"}, {Key: "south", Name: "South Hospital"}},
		DueSoon: []*upgradebot.Task{
			{ID: 1, Title: "System-wide patch", Due: date("2026-12-01")},
			{ID: 2, Title: "Swap South's printers", Due: date("2026-12-02"), Site: "south", Assignee: "U0SAM"},
			{ID: 3, Title: "Retest North's lab feed", Due: date("2026-12-03"), Site: "north"},
			{ID: 4, Title: "Train North's nurses", Due: date("2026-12-04"), Site: "north"},
		},
		DueSoonTotal: 6,
		Freezes:      []*upgradebot.Freeze{{ID: 1, From: date("2026-12-02"), To: date("2026-12-03"), Reason: "go-live", Site: "north"}},
	}
	m, ok := upgradebot.BuildDigest(d, upgradebot.DigestOptions{Channel: "C0TEAM"})
	if !ok {
		t.Fatal("nothing to post")
	}
	want := strings.Join([]string{
		"*Due in the next 7 days (6)*",
		"_North Campus_",
		"• #3 Retest North's lab feed · unassigned · due Thu 3 Dec · *inside the go-live freeze*",
		"• #4 Train North's nurses · unassigned · due Fri 4 Dec",
		"_South Hospital_",
		"• #2 Swap South's printers · U0SAM · due Wed 2 Dec", // a plain name: the digest pings nobody
		// A phone digest shows three of a list (the headings over them), the
		// rest one tap away; the whole system's work comes after the sites'.
		"…and 3 more: `/upgrade list open`",
	}, "\n")
	if got := m.FullText(); !strings.Contains(got, want) {
		t.Errorf("digest:\n%s\nwant it to hold:\n%s", got, want)
	}
	// One site: no headings.
	d.Sites = d.Sites[:1]
	m, _ = upgradebot.BuildDigest(d, upgradebot.DigestOptions{Channel: "C0TEAM"})
	if strings.Contains(m.FullText(), "_North Campus_") {
		t.Errorf("one site grouped:\n%s", m.FullText())
	}
}

// The partner line goes in a digest that would be quiet too: once a month
// it is news.
func TestBuildDigestPartnerLine(t *testing.T) {
	d := upgradebot.DigestData{Now: digestNow, Today: date("2026-12-01"), HasPartners: true,
		Partners: &upgradebot.PartnerReport{From: date("2026-11-01"), To: date("2026-11-30"), TeamClosed: 40, TeamLogged: 310 * time.Hour,
			People: []upgradebot.PartnerWork{{User: "U0MO", Closed: make([]*upgradebot.Task, 12), Logged: 62 * time.Hour,
				Open: make([]*upgradebot.Task, 5), Overdue: 1, Planned: 20 * time.Hour}}}}
	m, ok := upgradebot.BuildDigest(d, upgradebot.DigestOptions{Channel: "C0TEAM"})
	want := "*Partners*\nPartners in November 2026: 12 of the team's 40 tasks done (30%) · 62h of 310h logged (20%) · " +
		"5 tasks still open with them, 1 overdue, 20h planned. `/upgrade partner report 2026-11`"
	if !ok || !strings.Contains(m.FullText(), want) {
		t.Errorf("digest = %v:\n%s\nwant:\n%s", ok, m.FullText(), want)
	}
}

func TestParseMonth(t *testing.T) {
	today := date("2026-12-02")
	for _, tc := range []struct{ in, from, to, err string }{
		{"", "2026-12-01", "2026-12-31", ""},
		{"this", "2026-12-01", "2026-12-31", ""},
		{"last", "2026-11-01", "2026-11-30", ""},
		{"2026-02", "2026-02-01", "2026-02-28", ""},
		{"nov", "2026-11-01", "2026-11-30", ""},
		{"December", "2026-12-01", "2026-12-31", ""},
		{"jan", "2026-01-01", "2026-01-31", ""},
		{"2027-01", "", "", "January 2027 has not begun yet"},
		{"ja", "", "", "is not a month"},
		{"soon", "", "", "is not a month"},
	} {
		from, to, err := upgradebot.ParseMonth(tc.in, today)
		if tc.err != "" {
			if !strings.Contains(upgradebot.ErrorMessage(err), tc.err) {
				t.Errorf("ParseMonth(%q) = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || from.String() != tc.from || to.String() != tc.to {
			t.Errorf("ParseMonth(%q) = %s, %s, %v; want %s, %s", tc.in, from, to, err, tc.from, tc.to)
		}
	}
}

// The workload's two sides: the partners' rows and everyone else's.
func TestWorkloadSides(t *testing.T) {
	w := upgradebot.BuildWorkload([]upgradebot.Load{
		{User: "U0SAM", Open: 3, Planned: 10 * time.Hour},
		{User: "U0MO", Open: 2, Planned: 6 * time.Hour, Queued: 2 * time.Hour, Queues: 1},
		{User: "U0PRIYA", Open: 1, Planned: time.Hour},
		{User: "", Open: 4, Planned: 9 * time.Hour},
	}, upgradebot.WorkloadLimits{})
	in, out := w.Sides(func(u string) bool { return u == "U0MO" })
	if in.People != 2 || in.Load.Open != 4 || in.Load.Hours() != 11*time.Hour {
		t.Errorf("in-house = %+v", in)
	}
	if out.People != 1 || out.Load.Open != 2 || out.Load.Hours() != 8*time.Hour || out.Load.Queues != 1 {
		t.Errorf("partners = %+v", out)
	}
}

// Events carry their site's name as LOCATION; a freeze of every site says
// so once the team has sites.
func TestCalendarSites(t *testing.T) {
	stamp := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	every, _ := upgradebot.ParseInterval("2w")
	in := upgradebot.CalendarInput{
		Today:    date("2026-11-30"),
		Sites:    []upgradebot.Site{{Key: "north", Name: "North Campus"}, {Key: "south", Name: "South Hospital"}},
		Releases: []*upgradebot.Release{{Key: "medcore-2027q1", Vendor: "MedCore", Name: "2027q1", GA: date("2027-02-15"), Site: "north", CreatedAt: stamp}},
		Open: []*upgradebot.Task{{ID: 7, Title: "Swap printers", Due: date("2026-12-04"), Site: "south", UpdatedAt: stamp},
			{ID: 8, Title: "Patch", Due: date("2026-12-04"), UpdatedAt: stamp}},
		Freezes: []*upgradebot.Freeze{{ID: 1, From: date("2026-12-14"), To: date("2026-12-20"), Reason: "go-live", Site: "north", CreatedAt: stamp},
			{ID: 2, From: date("2026-12-24"), To: date("2026-12-26"), Reason: "holiday", CreatedAt: stamp}},
		Cleanups: []*upgradebot.Maintenance{{ID: 3, Title: "Duplicates", Every: every, Anchor: date("2026-11-30"), Active: true, Site: "south", CreatedAt: stamp}},
	}
	where := map[string]string{}
	for _, e := range upgradebot.CalendarEvents(in) {
		where[e.UID] = e.Location
	}
	for uid, want := range map[string]string{
		"release-medcore-2027q1-ga@upgradebot": "North Campus", "task-7@upgradebot": "South Hospital", "task-8@upgradebot": "",
		"freeze-1@upgradebot": "North Campus", "freeze-2@upgradebot": "All sites", "cleanup-3-series@upgradebot": "South Hospital",
	} {
		if got, ok := where[uid]; !ok || got != want {
			t.Errorf("%s at %q (present %v), want %q", uid, got, ok, want)
		}
	}
	var b strings.Builder
	if err := upgradebot.WriteICS(&b, upgradebot.CalendarName, upgradebot.CalendarEvents(in)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "UID:task-7@upgradebot\r\n") || !strings.Contains(b.String(), "LOCATION:South Hospital\r\n") {
		t.Errorf("ICS lacks the location:\n%s", b.String())
	}
}

// Every partner refusal says what a partner may do and who can do the rest.
func TestPartnerRefusal(t *testing.T) {
	s := upgradebot.Settings{Owner: "U0DANA", Admins: []string{"U0ANN", "U0BEA"}}
	err := upgradebot.PartnerRefusal("cancel tasks", s.TeamDoesRest())
	want := "Partners cannot cancel tasks. " + upgradebot.PartnerMay + " Anyone in the in-house team can do it; admins: <@U0ANN>, <@U0BEA>."
	if upgradebot.ErrorCode(err) != upgradebot.EFORBIDDEN || upgradebot.ErrorMessage(err) != want {
		t.Errorf("PartnerRefusal = %v\nwant %q", err, want)
	}
	err = upgradebot.PartnerNotTheirs("add notes to", &upgradebot.Task{ID: 12}, s.OwnerDecides())
	if msg := upgradebot.ErrorMessage(err); !strings.HasPrefix(msg, "Partners can add notes to only the tasks assigned to them, and #12 is unassigned. ") ||
		!strings.HasSuffix(msg, "Only the decision owner <@U0DANA> (or their delegate while they are away) decides.") {
		t.Errorf("PartnerNotTheirs = %q", msg)
	}
	if got := (upgradebot.Settings{}).AdminsDoRest(); got != "Only admins can, and none is set yet." {
		t.Errorf("AdminsDoRest = %q", got)
	}
}
