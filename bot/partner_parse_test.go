package bot

import (
	"time"

	"github.com/upgradebot/upgradebot"
)

// The grammar of partners, sites, time spent and the patient-data guard
// (issue 13). They join parseTests, so the seeds of FuzzParse cover them.
func init() { parseTests = append(parseTests, partnerParseTests...) }

func ptr[T any](v T) *T { return &v }

var partnerParseTests = []struct {
	desc string
	in   string
	want Command
	err  []string
	not  []string
}{
	// site: is an option of the commands that take one, no longer refused.
	{desc: "add with a site", in: "add Fix thing site:North", want: Command{Name: "add", Title: "Fix thing", Site: "north"}},
	{desc: "add with a bad site key", in: "add Fix thing site:9north", err: []string{`"9north" is not a site key`, "Usage: `/upgrade add"}},
	{desc: "list a site", in: "list overdue site:north", want: Command{Name: "list", Scope: "overdue", Site: "north"}},
	{desc: "workload of a site", in: "workload site:north share", want: Command{Name: "workload", Site: "north", Share: true}},
	{desc: "workload takes nothing else", in: "workload north", err: []string{`I didn't expect "north"`}},
	{desc: "maint add with a site", in: "maint add Duplicate records every:2w site:south",
		want: Command{Name: "maint add", Title: "Duplicate records", Every: upgradebot.Interval{N: 2, Unit: 'w'}, Site: "south"}},
	{desc: "freeze of one site", in: "freeze 2026-12-14..2026-12-20 go-live site:north",
		want: Command{Name: "freeze", From: iso("2026-12-14"), To: iso("2026-12-20"), Text: "go-live", Site: "north"}},
	{desc: "release add with a site", in: "release add MedCore 2027.1 ga:2027-02-15 site:north",
		want: Command{Name: "release add", Title: "MedCore", Name2: "2027.1", GA: iso("2027-02-15"), Site: "north"}},
	{desc: "edit a site", in: "edit 4 site:south", want: Command{Name: "edit", ID: 4, Edit: upgradebot.TaskEdit{Site: ptr("south")}}},
	{desc: "edit clears a site", in: "edit 4 site:none", want: Command{Name: "edit", ID: 4, Edit: upgradebot.TaskEdit{Site: ptr("")}}},
	{desc: "note does not take site", in: "note 4 site:north", err: []string{"`note` does not take `site:`"}},
	{desc: "prose Time: stays prose", in: "add Time: 10:30 vendor call", want: Command{Name: "add", Title: "Time: 10:30 vendor call"}},

	// Time spent.
	{desc: "spent", in: "spent 12 1.5h merged the first batch", want: Command{Name: "spent", ID: 12, Spent: 90 * time.Minute, Text: "merged the first batch"}},
	{desc: "spent a day", in: "log #12 1d", want: Command{Name: "spent", ID: 12, Spent: 8 * time.Hour}},
	{desc: "spent without the time", in: "spent 12", err: []string{"how long?"}},
	{desc: "spent too much", in: "spent 12 3w", err: []string{`"3w" is not time spent`, "80h"}},

	// Partners.
	{desc: "admin partner add", in: "admin partner add <@U0MO|mo>", want: Command{Name: "admin partner", Scope: "add", User: "U0MO",
		People: []upgradebot.Person{{ID: "U0MO", Name: "mo"}}}},
	{desc: "admin partner remove", in: "admin partner rm <@U0MO>", want: Command{Name: "admin partner", Scope: "remove", User: "U0MO",
		People: []upgradebot.Person{{ID: "U0MO"}}}},
	{desc: "partners", in: "partners", want: Command{Name: "admin partner", Scope: "list"}},
	{desc: "admin partner add needs someone", in: "admin partner add", err: []string{"who?"}},
	{desc: "partner report", in: "partner report", want: Command{Name: "partner report"}},
	{desc: "partner report of a month", in: "partner report 2026-10 share", want: Command{Name: "partner report", Text: "2026-10", Share: true}},
	{desc: "partner report of a coming month", in: "partner report 2027-01", err: []string{"January 2027 has not begun yet"}},
	{desc: "partner report of no month", in: "partner report soon", err: []string{`"soon" is not a month`}},

	// The patient-data guard's commands.
	{desc: "phi scan", in: "phi scan", want: Command{Name: "phi scan"}},
	{desc: "config phi mrn", in: `config phi mrn "MRN[: ]?\d{7,9}"`,
		want: Command{Name: "config", Scope: "set", Key: "phi", Values: map[string]string{upgradebot.SettingPHIMRN: `MRN[: ]?\d{7,9}`}}},
	{desc: "config mrn default", in: `config mrn default`,
		want: Command{Name: "config", Scope: "set", Key: "phi", Values: map[string]string{upgradebot.SettingPHIMRN: "default"}}},
	{desc: "config phi refuses a pattern that matches a ticket", in: `config phi mrn "\d{7}"`,
		err: []string{`matches "INC0012345"`}, not: []string{"\\d{7}"}},
	{desc: "config sites", in: "config sites", want: Command{Name: "config", Scope: "sites"}},
	{desc: "config sites add", in: `config sites add North "North Campus"`, want: Command{Name: "config", Scope: "sites add", Key: "north", Title: "North Campus"}},
	{desc: "config sites remove", in: "config site remove north", want: Command{Name: "config", Scope: "sites remove", Key: "north"}},
	{desc: "config sites add a bad key", in: `config sites add "North Campus"`, err: []string{"is not a site key"}},
}
