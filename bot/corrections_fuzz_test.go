package bot

import (
	"regexp"
	"strings"
	"testing"

	"github.com/upgradebot/upgradebot"
)

// decisionWord is a decision id as typed: D9, d9, #D9.
var decisionWord = regexp.MustCompile(`^#?[dD][0-9]+$`)

// FuzzParseCorrections checks what Parse accepts of the correction
// commands (maint edit|pause|resume|remove, release edit|remove, vendor
// rename|remove, withdraw) is well formed, and that a decision id given to
// cancel is never read as a task. FuzzParse checks the rest; both are
// seeded with every line of parseTests.
func FuzzParseCorrections(f *testing.F) {
	for _, tc := range parseTests {
		f.Add(tc.in)
	}
	for _, s := range []string{
		"maint 0 pause", "maint -1 remove", "maint edit 4 title:", "maint edit 4 workdays:", "maint 4 edit 5",
		"maint edit 4 every:366d workdays:YES", "release edit x support:NONE ga:today", "release x edit remove",
		"release remove remove", "vendor rename \"\" x", "vendor rename x \"\"", "vendor remove \"\"",
		"withdraw D0", "withdraw #d12 \x00", "cancel #D9", "cancel D99999999999999999999", "cancel D",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		c, err := Parse(text, testThursday)
		if err != nil {
			fuzzInvalid(t, text, err)
			return
		}
		switch c.Name {
		case "maint edit", "maint pause", "maint resume", "maint remove", "withdraw":
			if c.ID <= 0 {
				t.Fatalf("Parse(%q).ID = %d", text, c.ID)
			}
		case "release edit", "release remove":
			if c.Key == "" {
				t.Fatalf("Parse(%q): no release key", text)
			}
		case "vendor remove":
			if c.Title == "" {
				t.Fatalf("Parse(%q): no vendor", text)
			}
		case "vendor rename":
			if c.Title == "" || upgradebot.ValidateTitle("name", c.Name2) != nil {
				t.Fatalf("Parse(%q): rename %q to %q", text, c.Title, c.Name2)
			}
		case "cancel":
			if f := strings.Fields(text); len(f) > 1 && decisionWord.MatchString(f[1]) {
				t.Fatalf("Parse(%q): a decision read as task %d", text, c.ID)
			}
		}
		switch c.Name {
		case "maint edit":
			if c.Title == "" && c.Every.N == 0 && c.User == "" && c.First.IsZero() && c.Workdays == "" {
				t.Fatalf("Parse(%q): an edit that changes nothing", text)
			}
			if c.Title != "" && upgradebot.ValidateTitle("title", c.Title) != nil {
				t.Fatalf("Parse(%q).Title = %q", text, c.Title)
			}
			if c.Every.N != 0 {
				if _, err := upgradebot.ParseInterval(c.Every.String()); err != nil {
					t.Fatalf("Parse(%q).Every = %+v", text, c.Every)
				}
			}
			fallthrough
		case "maint add":
			if c.Workdays != "" && c.Workdays != "yes" && c.Workdays != "no" {
				t.Fatalf("Parse(%q).Workdays = %q", text, c.Workdays)
			}
		case "release edit":
			if (c.GA.IsZero() && c.Support.IsZero() && !c.NoSupport) || (c.NoSupport && !c.Support.IsZero()) {
				t.Fatalf("Parse(%q): release edit of GA %s, support %s, none %v", text, c.GA, c.Support, c.NoSupport)
			}
		case "withdraw":
			if c.Text != "" && upgradebot.ValidateText("reason", c.Text) != nil {
				t.Fatalf("Parse(%q).Text = %q", text, c.Text)
			}
		}
	})
}
