package bot

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/upgradebot/upgradebot"
)

// fuzzSeeds are odd inputs that are not already in the tables.
var fuzzSeeds = []string{
	"",
	" ",
	"\x00",
	"add \x00",
	"add a\x00b due:fri",
	"\xff\xfe\xfd",
	"add \xff title",
	"add \"\xff\"",
	"add “\xff”",
	"<\xff>",
	"add <@U012AB3CD|\xff>",
	"add “curly” „low“ «guillemets» ”reversed“",
	"add \"mixed”",
	"add “",
	"add ”",
	"add «",
	"add »",
	"<>",
	"add <>",
	"add <> <>",
	"add x <@>",
	"add x <@|>",
	"add x <@U012AB3CD|>",
	"add x <!here> <!channel> <!subteam^S123|@team> <!date^1392734382^{date}|Feb 18>",
	"add x <#C123> <#C123|> <mailto:a@b.c|a@b.c>",
	"add x &amp;&lt;&gt;&quot;&#39;",
	"add x &amp;amp;lt;",
	"add &lt;@U012AB3CD&gt;",
	"add x due:<@U012AB3CD>",
	"add x due: <#C123>",
	"add x due:\"fri\"",
	"away delegate: delegate:",
	"away delegate:<@U012AB3CD>",
	"away ..",
	"away <@U012AB3CD|alice> clear",
	"add :",
	"add ::::",
	"add x :due",
	"add x due::fri",
	"add x Due:fri",
	"add x DUA:fri",
	"maint add x every:2W first:today",
	"maint add x every:+2w",
	"maint add x every:366d",
	"maint add x every:367d",
	"maint add x every:52w",
	"maint add x every:53w",
	"#42",
	"show #",
	"show -0",
	"show 0x2a",
	"show ４２",
	"release add a b ga:2027-01-01 key:",
	"release add \"\" \"\" ga:2027-01-01",
	"list release:",
	"list kind:",
	"share",
	"list share share",
	"add " + strings.Repeat("é", upgradebot.MaxTitleLen),
	"add " + strings.Repeat("é", upgradebot.MaxTitleLen+1),
	"add \u202eevil\u202c",
	"add a\u2028b",
	"add 🚀 upgrade",
	"release x item",
	"release x item not",
	"release x item not doing",
	"release x item not doing \"\"",
	"release item item item item",
	"release items items items",
	"release x items",
	"release <@U012AB3CD> item adopt <@U012AB3CD>",
	"release x item defer <#C123|c> <!here>",
	"release x item defer y est:1h",
	"checklist add go live x",
	"checklist add \"go live\" x est:1w",
	"checklist add <@U012AB3CD> x",
	"checklist remove",
	"checklist remove 0",
}

// FuzzParse checks that Parse never panics, refuses only with a user-facing
// EINVALID error, and that what it accepts is well formed.
func FuzzParse(f *testing.F) {
	for _, tc := range parseTests {
		f.Add(tc.in)
	}
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	for _, s := range longLines() {
		f.Add(s)
	}
	for _, tc := range dateWordTests {
		f.Add("due 1 " + tc.word)
	}
	for _, tc := range dateRangeTests {
		f.Add("away " + tc.word)
	}
	names := make([]string, len(specs))
	share := map[string]bool{}
	for i, s := range specs {
		names[i] = s.name
		share[s.name] = s.share
	}
	f.Fuzz(func(t *testing.T, text string) {
		c, err := Parse(text, testThursday)
		if err != nil {
			var e *upgradebot.Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q): error %v is %T, not *upgradebot.Error", text, err, err)
			}
			if e.Code != upgradebot.EINVALID {
				t.Fatalf("Parse(%q): code %q, want %q", text, e.Code, upgradebot.EINVALID)
			}
			if strings.TrimSpace(e.Message) == "" {
				t.Fatalf("Parse(%q): empty message", text)
			}
			if !utf8.ValidString(e.Message) {
				t.Fatalf("Parse(%q): message is not valid UTF-8: %q", text, e.Message)
			}
			return
		}
		if !slices.Contains(names, c.Name) {
			t.Fatalf("Parse(%q).Name = %q, not a command", text, c.Name)
		}
		if c.Share && !share[c.Name] {
			t.Fatalf("Parse(%q): Share set on %q", text, c.Name)
		}
		for _, u := range []string{c.User, c.Delegate} {
			if u != "" && !upgradebot.ValidUserID(u) {
				t.Fatalf("Parse(%q): user %q is not a user id", text, u)
			}
		}
		for _, p := range c.People {
			if !upgradebot.ValidUserID(p.ID) {
				t.Fatalf("Parse(%q): person %q is not a user id", text, p.ID)
			}
		}
		if c.ID < 0 {
			t.Fatalf("Parse(%q).ID = %d", text, c.ID)
		}
		switch c.Name {
		case "add", "maint add":
			if err := upgradebot.ValidateTitle("title", c.Title); err != nil {
				t.Fatalf("Parse(%q).Title = %q: %v", text, c.Title, err)
			}
		case "decide":
			if err := upgradebot.ValidateText("question", c.Title); err != nil {
				t.Fatalf("Parse(%q).Title = %q: %v", text, c.Title, err)
			}
		case "show", "done", "assign", "due", "note", "cancel", "approve", "reject":
			if c.ID <= 0 {
				t.Fatalf("Parse(%q).ID = %d", text, c.ID)
			}
		}
		switch c.Name {
		case "assign":
			if c.User == "" {
				t.Fatalf("Parse(%q): assign without a user", text)
			}
		case "note", "reject":
			if err := upgradebot.ValidateText("text", c.Text); err != nil {
				t.Fatalf("Parse(%q).Text = %q: %v", text, c.Text, err)
			}
		case "due":
			if c.Due.IsZero() {
				t.Fatalf("Parse(%q): due without a date", text)
			}
		case "release add":
			if c.GA.IsZero() {
				t.Fatalf("Parse(%q): release without GA", text)
			}
		case "release item":
			it := upgradebot.ReleaseItem{Release: c.Key, Title: c.Title, Verdict: upgradebot.Verdict(c.Scope), Reason: c.Text}
			if err := it.Validate(); err != nil || c.Key == "" {
				t.Fatalf("Parse(%q) = release item %+v: %v", text, it, err)
			}
		case "checklist add":
			it := upgradebot.ChecklistItem{Phase: c.Phase, Title: c.Title, Estimate: c.Estimate}
			if err := it.Validate(); err != nil {
				t.Fatalf("Parse(%q) = checklist item %+v: %v", text, it, err)
			}
		case "maint add":
			if c.Every.N < 1 || c.Every.N > 366 || !strings.ContainsRune("dwm", rune(c.Every.Unit)) {
				t.Fatalf("Parse(%q).Every = %+v", text, c.Every)
			}
		case "away":
			if c.Scope == "set" && (c.From.IsZero() || c.To.IsZero() || c.To.Before(c.From)) {
				t.Fatalf("Parse(%q): away %s..%s", text, c.From, c.To)
			}
		}
	})
}

// FuzzParseDateWord checks that ParseDateWord and ParseDateRange never
// panic, refuse only with EINVALID, and accept only sensible dates: an ISO
// date in 2000-2199, anything else within ten years of today.
func FuzzParseDateWord(f *testing.F) {
	for _, tc := range dateWordTests {
		f.Add(tc.word)
	}
	for _, tc := range dateRangeTests {
		f.Add(tc.word)
	}
	for _, s := range []string{
		"", "\x00", "\xff", "+", "++", "..", "...", "+0d", "0d", "0m", "0w", "-0d", "+-0d",
		"+3650d", "+3651d", "521w", "522w", "120m", "121m", "9223372036854775807m",
		"2026-12-05\x00", "2026-12-0\xff", "２０２６-12-05", "2026-12-05 ", "\t fri \n",
		"fri..+99999999999999999999d", "2199-12-31..2000-01-01", "mon..mon", "sun..sat",
		strings.Repeat("9", 100000) + "d", strings.Repeat("+", 100000), strings.Repeat("..", 10000),
	} {
		f.Add(s)
	}
	far := testThursday.AddDays(3653) // ten years and a leap day or two
	f.Fuzz(func(t *testing.T, word string) {
		d, err := ParseDateWord(word, testThursday)
		if err != nil {
			fuzzInvalid(t, word, err)
		} else {
			if d.IsZero() {
				t.Fatalf("ParseDateWord(%q) = zero date", word)
			}
			if w := strings.TrimSpace(word); len(w) == 10 && w[4] == '-' && w[7] == '-' {
				if d.Year < 2000 || d.Year > 2199 || d.String() != w {
					t.Fatalf("ParseDateWord(%q) = %s", word, d)
				}
			} else if d.Before(testThursday) || d.After(far) {
				t.Fatalf("ParseDateWord(%q) = %s, more than ten years from %s", word, d, testThursday)
			}
		}
		from, to, err := ParseDateRange(word, testThursday)
		if err != nil {
			fuzzInvalid(t, word, err)
		} else if from.IsZero() || to.IsZero() || to.Before(from) {
			t.Fatalf("ParseDateRange(%q) = %s..%s", word, from, to)
		}
	})
}

func fuzzInvalid(t *testing.T, in string, err error) {
	t.Helper()
	var e *upgradebot.Error
	if !errors.As(err, &e) || e.Code != upgradebot.EINVALID || strings.TrimSpace(e.Message) == "" {
		t.Fatalf("%q: error %v, want EINVALID with a message", in, err)
	}
}
