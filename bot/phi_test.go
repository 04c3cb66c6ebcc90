package bot_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
	"github.com/upgradebot/upgradebot/internal/desktest"
)

// lockedBuffer is a log sink tests read back; slog may write from the
// bot's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// loggedBot is a bot whose logs, at every level and without timestamps,
// go to the returned buffer.
func loggedBot(t testing.TB) (*bot.Bot, *lockedBuffer) {
	b, _, _ := newBot(t)
	logs := &lockedBuffer{}
	b.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		}}))
	return b, logs
}

// TestPHIThroughCommands runs the shared table through the commands that
// store text (add, note, done, cancel, decide, edit, spent): what the guard
// refuses is refused with its reason, nothing is written, and no reply or
// log line repeats the numbers; what it passes is stored.
func TestPHIThroughCommands(t *testing.T) {
	b, logs := loggedBot(t)
	ctx := context.Background()
	do := func(as, text string) bot.Reply {
		return b.Handle(ctx, bot.Request{User: as, Text: text})
	}
	// #1 an upgrade task, #2 a clean-up task, both Alice's.
	for _, text := range []string{`add "Upgrade the lab interface" <@U0ALICE|alice>`, `add "Duplicate record merges" kind:cleanup <@U0ALICE|alice>`, "owner <@U0OWNER|olga>"} {
		if r := do(admin, text); r.Failed {
			t.Fatal(r.Text)
		}
	}
	if len(desktest.PHICases) < 30 {
		t.Fatalf("%d cases; the table needs 30 or more", len(desktest.PHICases))
	}
	refused := 0
	for _, c := range desktest.PHICases {
		task, kind := "1", ""
		if c.Cleanup {
			task, kind = "2", " kind:cleanup"
		}
		commands := []string{
			fmt.Sprintf("add %q%s", c.Text, kind),
			fmt.Sprintf("note %s %q", task, c.Text),
			fmt.Sprintf("spent %s 1h %q", task, c.Text),
			fmt.Sprintf(`edit 1 title:%q`, c.Text),
		}
		if !c.Cleanup {
			commands = append(commands, fmt.Sprintf("decide %q", c.Text))
		}
		for _, cmd := range commands {
			if strings.HasPrefix(cmd, "edit") && c.Cleanup {
				continue // a clean-up's text is checked as one: edit a clean-up task below
			}
			r := do(alice, cmd)
			if c.Kind == "" {
				if r.Failed {
					t.Errorf("%s: %s was refused: %s", c.Desc, cmd, r.Text)
				}
				continue
			}
			refused++
			if !r.Failed || !strings.Contains(r.Text, "keep patient identifiers in the EHR") || !strings.Contains(r.Text, c.Kind.Human()) {
				t.Errorf("%s: %s answered %q; want the guard's refusal (%s)", c.Desc, cmd, r.Text, c.Kind.Human())
			}
			if strings.IndexFunc(r.Text, unicode.IsDigit) >= 0 {
				t.Errorf("%s: %s: the refusal %q holds a digit", c.Desc, cmd, r.Text)
			}
		}
		if c.Cleanup {
			r := do(alice, fmt.Sprintf(`edit 2 title:%q`, c.Text))
			if c.Kind != "" {
				refused++
			}
			if r.Failed != (c.Kind != "") {
				t.Errorf("%s: editing the clean-up's title answered %q", c.Desc, r.Text)
			}
		}
		// Done and cancel take their note or reason last; on a fresh task.
		if c.Kind != "" {
			for _, verb := range []string{"done", "cancel"} {
				r := do(alice, fmt.Sprintf("%s %s %q", verb, task, c.Text))
				refused++
				if !r.Failed || !strings.Contains(r.Text, c.Kind.Human()) {
					t.Errorf("%s: %s answered %q", c.Desc, verb, r.Text)
				}
			}
		}
	}
	if refused < 100 {
		t.Errorf("only %d refusals ran", refused)
	}
	// The refused numbers are nowhere: not in the log, not in the desk.
	for _, run := range desktest.PHIDigits() {
		if strings.Contains(logs.String(), run) {
			t.Errorf("the log holds %q:\n%s", run, logs.String())
		}
	}
	scan := do(admin, "phi scan")
	if !strings.Contains(scan.Text, "nothing the desk keeps looks like a patient identifier") {
		t.Errorf("phi scan after the refusals:\n%s", scan.Text)
	}
	// Each refusal is in the audit trail as where and what kind only.
	rows, err := b.Desk.FindAudit(ctx, upgradebot.AuditFilter{Entity: "phi", Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != refused {
		t.Errorf("%d refusals audited, want %d", len(rows), refused)
	}
	for _, r := range rows {
		if r.Action != "phi.refused" || r.Actor != alice || r.Before != "" {
			t.Errorf("refusal row %+v", r)
		}
		for _, run := range desktest.PHIDigits() {
			if strings.Contains(r.After, run) {
				t.Errorf("the refusal row %q holds %q", r.After, run)
			}
		}
	}
}

// TestPHIInLogsAndReplies: commands with patient data through a bot whose
// log goes to a buffer: the matched digits never appear in a log line or a
// reply, whichever way the command fails (malformed, refused, forbidden).
func TestPHIInLogsAndReplies(t *testing.T) {
	b, logs := loggedBot(t)
	ctx := context.Background()
	var replies []string
	for _, r := range []bot.Request{
		{User: admin, Text: `config phi mrn "\bE\d{7}\b"`},
		{User: alice, Text: "add Merge MRN 00482913 into 00519377"},
		{User: alice, Text: "add Merge E1234567 and E7654321"},
		{User: alice, Text: "add Merge MRN 00482913 due:someday"},               // malformed and patient data
		{User: alice, Text: "add Merge MRN 00482913 frob:x"},                    // an unknown option
		{User: alice, Text: "note 99 SSN 123-45-6789"},                          // no such task
		{User: alice, Text: "decide DOB 1/2/1960 on the wrong chart?"},          // no owner yet
		{User: alice, Text: "MRN 00482913"},                                     // no such command
		{User: alice, Text: `"MRN 00482913`},                                    // an open quote
		{User: bob, Text: "freeze 2026-12-14..2026-12-20 MRN 00482913 go-live"}, // not an admin
		{User: admin, Text: `config sites add north "MRN 00482913"`},
		{User: admin, Text: "phi scan"},
	} {
		replies = append(replies, b.Handle(ctx, r).Text)
	}
	all := strings.Join(replies, "\n")
	for _, run := range append(desktest.PHIDigits(), "1234567", "7654321") {
		if strings.Contains(logs.String(), run) {
			t.Errorf("the log holds %q:\n%s", run, logs.String())
		}
		if strings.Contains(all, run) {
			t.Errorf("a reply holds %q:\n%s", run, all)
		}
	}
}

// TestDemoHoldsNoPatientData: the demo desk passes the scan.
func TestDemoHoldsNoPatientData(t *testing.T) {
	b, db, _ := newBot(t)
	ctx := context.Background()
	if _, err := bot.SeedDemo(ctx, db, upgradebot.Today(start, mustZone("America/Chicago"))); err != nil {
		t.Fatal(err)
	}
	found, err := db.ScanPHI(ctx, admin)
	if err != nil || len(found) != 0 {
		t.Errorf("ScanPHI of the demo = %+v, %v", found, err)
	}
	if r := b.Handle(ctx, bot.Request{User: admin, Text: "phi scan"}); !strings.Contains(r.Text, "nothing the desk keeps looks like a patient identifier") {
		t.Errorf("phi scan of the demo: %s", r.Text)
	}
}

// TestPHIScanCommand: what was stored before the team's pattern is listed
// by id and field, never by value; admins only.
func TestPHIScanCommand(t *testing.T) {
	run(t, []step{
		{desc: "a title the built-in guard lets by", as: alice, text: `add "Merge E1234567 and E7654321"`, want: []string{"Added #1"}},
		{desc: "a pattern refusing a ticket", as: admin, text: `config phi mrn "\d{7}"`, fail: true,
			want: []string{`The MRN pattern matches "INC0012345", which is not a medical record number`}},
		{desc: "the team's pattern", as: admin, text: `config phi mrn "\bE\d{7}\b"`,
			want: []string{"MRN pattern set: text matching it is refused, as are the built-in forms", "`/upgrade phi scan` finds what is already stored."}},
		{desc: "config shows it", as: alice, text: "config", want: []string{"• `phi mrn` `\\bE\\d{7}\\b`, and the built-in forms · _stored_"}},
		{desc: "now refused", as: alice, text: `add "Merge E7654321"`, fail: true, want: []string{"the title holds what looks like a medical record number"}},
		{desc: "not for members", as: alice, text: "phi scan", fail: true, want: []string{"Only admins can scan the desk for patient data."}},
		{desc: "the scan", as: admin, text: "phi scan", want: []string{
			"*Patient-data scan*: ", "(the values are not shown):", "• task #1 · title: medical record number", "• audit row #"},
			not: []string{"1234567", "7654321"}},
		{desc: "back to the built-in forms", as: admin, text: "config phi mrn default", want: []string{"The team's MRN pattern is dropped"}},
	})
}

var phiFuzzDigits = regexp.MustCompile(`\d{5,}`)

// FuzzPHICommand: any text, given to the commands that store text, leaves
// nothing the guard would refuse in the desk, and a refusal repeats none of
// the text's numbers in the reply, the log or the audit trail.
//
//	go test ./bot -run '^$' -fuzz FuzzPHICommand -fuzztime 60s
func FuzzPHICommand(f *testing.F) {
	for _, c := range desktest.PHICases {
		f.Add(c.Text, c.Cleanup)
	}
	f.Add("MRN\t00482913", false)
	f.Add("“MRN 00482913”", true)
	b, logs := loggedBot(f)
	ctx := context.Background()
	for _, text := range []string{`add "Upgrade the lab interface"`, `add "Duplicate record merges" kind:cleanup`, "owner <@U0OWNER|olga>"} {
		if r := b.Handle(ctx, bot.Request{User: admin, Text: text}); r.Failed {
			f.Fatal(r.Text)
		}
	}
	f.Fuzz(func(t *testing.T, text string, cleanup bool) {
		task, kind := "1", ""
		if cleanup {
			task, kind = "2", " kind:cleanup"
		}
		for _, cmd := range []string{"add " + text + kind, "note " + task + " " + text, "decide " + text, "spent " + task + " 1h " + text} {
			mark := len(logs.String())
			r := b.Handle(ctx, bot.Request{User: alice, Text: cmd})
			if r.Failed && strings.Contains(r.Text, "keep patient identifiers in the EHR") {
				if strings.IndexFunc(r.Text, unicode.IsDigit) >= 0 {
					t.Fatalf("%q: the refusal %q holds a digit", cmd, r.Text)
				}
			}
			for _, run := range phiFuzzDigits.FindAllString(text, -1) {
				if strings.Contains(logs.String()[mark:], run) {
					t.Fatalf("%q: the log holds %q", cmd, run)
				}
			}
		}
		// What the commands stored: the newest task, the newest notes and
		// time logged on the two tasks, the newest decision.
		guard := upgradebot.PHIGuard{}
		latest, _, err := b.Desk.FindTasks(ctx, upgradebot.TaskFilter{Statuses: []upgradebot.TaskStatus{upgradebot.StatusOpen}})
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range latest {
			if hits := guard.Scan(tk.PHIContext(), upgradebot.PHIField{Name: "title", Text: tk.Title}); hits != nil {
				t.Fatalf("after %q task #%d holds %v", text, tk.ID, hits)
			}
		}
		for _, tk := range latest[:min(len(latest), 2)] {
			notes, _ := b.Desk.TaskNotes(ctx, tk.ID)
			spent, _ := b.Desk.TimeSpent(ctx, tk.ID)
			var fields []upgradebot.PHIField
			for _, n := range notes {
				fields = append(fields, upgradebot.PHIField{Name: "note", Text: n.Text})
			}
			for _, e := range spent {
				fields = append(fields, upgradebot.PHIField{Name: "time note", Text: e.Note})
			}
			if hits := guard.Scan(tk.PHIContext(), fields...); hits != nil {
				t.Fatalf("after %q task #%d holds %v", text, tk.ID, hits)
			}
		}
		ds, err := b.Desk.FindDecisions(ctx, upgradebot.DecisionFilter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if hits := guard.Scan(upgradebot.PHIContext{}, upgradebot.PHIField{Name: "question", Text: d.Question}); hits != nil {
				t.Fatalf("after %q decision D%d holds %v", text, d.ID, hits)
			}
		}
	})
}
