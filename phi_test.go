package upgradebot_test

import (
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/upgradebot/upgradebot"
)

// teamPattern is an Epic-style MRN a team might set: E and seven digits.
const teamPattern = `\bE\d{7}\b`

func TestPHIGuardCheck(t *testing.T) {
	builtin := upgradebot.PHIGuard{}
	team, err := upgradebot.NewPHIGuard(teamPattern)
	if err != nil {
		t.Fatal(err)
	}
	const (
		pass   = upgradebot.PHIKind("")
		mrn    = upgradebot.PHIMRN
		ssn    = upgradebot.PHISSN
		dob    = upgradebot.PHIDOB
		digits = upgradebot.PHIDigits
	)
	const (
		normal  = iota // checked outside clean-ups
		cleanup        // checked in a clean-up
		both           // checked in both, with the same outcome
	)
	for _, tc := range []struct {
		desc  string
		in    string
		where int
		team  bool // check with the team's pattern added
		want  upgradebot.PHIKind
	}{
		// Medical record numbers, built-in pattern.
		{"issue 13's title", "Merge MRN 00482913 into 00519377", normal, false, mrn},
		{"MRN colon", "MRN: 00482913", normal, false, mrn},
		{"mrn hash, no space", "mrn#482913", normal, false, mrn},
		{"MR#", "MR# 4829133 registered twice", normal, false, mrn},
		{"MR space hash", "MR #4829133 duplicate", normal, false, mrn},
		{"medical record number", "medical record number 00482913", normal, false, mrn},
		{"medical record No.", "Medical Record No. 482913", normal, false, mrn},
		{"medical record #", "medical record # 482913", normal, false, mrn},
		{"med rec #", "fix med rec # 4829133", normal, false, mrn},
		{"medical record, no label", "medical record 00482913", normal, false, mrn},
		{"letter-prefixed MRN after the label", "MRN: E1234567", normal, false, mrn},
		{"plural, grouped digits", "MRNs 004-829-13 and 005-193-77 merged", normal, false, mrn},
		{"MRN is", "the MRN is 00482913", normal, false, mrn},
		{"Slack formatting", "check *MRN* `00482913`", normal, false, mrn},
		{"MRN in a clean-up", "MRN 00482913 merged", cleanup, false, mrn},
		// The team's pattern adds to the built-in one.
		{"team pattern", "Merge E1234567 and E7654321", normal, true, mrn},
		{"team pattern, lower case", "merge e1234567", normal, true, mrn},
		{"without the team pattern", "Merge E1234567 and E7654321", normal, false, pass},
		{"built-in kept beside the team's", "medical record number 00482913", normal, true, mrn},
		// Social Security numbers.
		{"SSN dashes", "SSN 123-45-6789 on the account", normal, false, ssn},
		{"bare dashed SSN", "123-45-6789", normal, false, ssn},
		{"spaced SSN", "patient 123 45 6789", normal, false, ssn},
		{"social security number", "social security number: 123456789", normal, false, ssn},
		{"ssn#", "ssn#123456789", normal, false, ssn},
		{"SS#", "SS# 123 45 6789", normal, false, ssn},
		{"nine digits, no context", "ref 123456789", normal, false, pass},
		{"nine digits in a clean-up", "ref 123456789", cleanup, false, digits},
		{"SSN words, no number", "Social Security numbers are masked in the 2026.1 build", normal, false, pass},
		// Dates of birth.
		{"DOB m/d/yyyy", "DOB 1/2/1960", normal, false, dob},
		{"D.O.B. ISO", "D.O.B.: 1960-01-02", normal, false, dob},
		{"born", "born 01/02/1960", normal, false, dob},
		{"date of birth, day month", "date of birth 02 Jan 1960", normal, false, dob},
		{"Date of Birth, month day", "Date of Birth: January 2, 1960", normal, false, dob},
		{"dob compact", "dob=19600102", normal, false, dob},
		{"birth date dotted", "birth date 1.2.60", normal, false, dob},
		{"DOB without a date", "DOB field missing on the registration form", normal, false, pass},
		{"born, year only", "born in 1960", normal, false, pass},
		// Long bare numbers: refused in clean-ups only.
		{"bare pair in a clean-up", "Merge 00482913 into 00519377", cleanup, false, digits},
		{"bare pair elsewhere", "Merge 00482913 into 00519377", normal, false, pass},
		{"hash number in a clean-up", "dup pair #4829133", cleanup, false, digits},
		{"count in a clean-up", "merged 1200 records", cleanup, false, pass},
		{"pairs in a clean-up", "14 pairs merged", cleanup, false, pass},
		{"six digits in a clean-up", "queue 482913 items", cleanup, false, pass},
		{"ticket key in a clean-up", "PRJ-1234567 duplicate merge", cleanup, false, pass},
		{"long build number in a clean-up", "build 2026.1.0.3041234", cleanup, false, pass},
		{"tickets in a clean-up", "INC0012345 and CHG0031044 for the MRN clean-up", cleanup, false, pass},
		// Look-alikes that pass everywhere and in clean-ups.
		{"incident", "INC0012345 vendor fix", both, false, pass},
		{"change", "CHG0031044 approved", both, false, pass},
		{"request item", "RITM0001234", both, false, pass},
		{"project key", "PRJ-1234", both, false, pass},
		{"due date", "due 12/5/2026", both, false, pass},
		{"ISO due date", "go-live 2026-12-05", both, false, pass},
		{"release key", "medcore-2026q4 release notes", both, false, pass},
		{"dotted release key", "verisante-2026.3 build", both, false, pass},
		{"version", "upgrade to 2026.1.0.3", both, false, pass},
		{"short version", "client v12.4", both, false, pass},
		{"extension", "call ext 4521 or 555-0134", both, false, pass},
		{"merge request", "MR #42 reviewed", both, false, pass},
		{"MRN word and a count", "MRN merge queue has 14 pairs left", both, false, pass},
		{"MRN and a year", "MRN clean-up by 2026", both, false, pass},
		{"MRNs and a count", "MRNs 1200 merged this week", both, false, pass},
		{"merge request, four digits", "MR #4521 reviewed", both, false, pass},
		{"team pattern, ticket", "INC0012345 vendor fix", both, true, pass},
	} {
		g := builtin
		if tc.team {
			g = team
		}
		contexts := map[int][]upgradebot.PHIContext{normal: {{}}, cleanup: {{Cleanup: true}}, both: {{}, {Cleanup: true}}}[tc.where]
		for _, ctx := range contexts {
			want := tc.want
			kind, ok := g.Find(tc.in, ctx)
			if ok != (want != pass) || kind != want {
				t.Errorf("%s: Find(%q, %+v) = %q, %v; want %q", tc.desc, tc.in, ctx, kind, ok, want)
			}
			err := g.Check("title", tc.in, ctx)
			if want == pass {
				if err != nil {
					t.Errorf("%s: Check(%q, %+v) = %v; want nil", tc.desc, tc.in, ctx, err)
				}
				continue
			}
			if upgradebot.ErrorCode(err) != upgradebot.EINVALID {
				t.Errorf("%s: Check(%q, %+v) = %v; want EINVALID", tc.desc, tc.in, ctx, err)
				continue
			}
			msg := upgradebot.ErrorMessage(err)
			if !strings.HasPrefix(msg, "the title ") || !strings.Contains(msg, "keep patient identifiers in the EHR") {
				t.Errorf("%s: message %q does not name the field and the advice", tc.desc, msg)
			}
			if !strings.Contains(msg, want.Human()) && want != upgradebot.PHIDigits {
				t.Errorf("%s: message %q does not say %q", tc.desc, msg, want.Human())
			}
		}
	}
}

var digitRunRE = regexp.MustCompile(`\d+`)

// TestPHIMessagesEchoNoDigits: no refusal repeats any run of digits from
// what it refused (nor its Error() string, which is what gets logged).
func TestPHIMessagesEchoNoDigits(t *testing.T) {
	team, _ := upgradebot.NewPHIGuard(teamPattern)
	inputs := []string{
		"Merge MRN 00482913 into 00519377", "MR# 4829133", "SSN 123-45-6789", "123 45 6789",
		"social security number: 123456789", "DOB 1/2/1960", "D.O.B.: 1960-01-02", "born 01/02/1960",
		"date of birth 02 Jan 1960", "Merge 00482913 into 00519377", "dup pair #4829133", "E1234567",
		"INC0012345 then MRN 00482913", "v1 MRN 12345 ext 4", "1 2 3 MRN 00000",
	}
	fields := []string{"title", "note", "Col 7", "MRN 00482913", ""}
	refused := 0 // by the team's guard, which knows E1234567 too
	for _, in := range inputs {
		for _, field := range fields {
			for i, g := range []upgradebot.PHIGuard{team, {}} {
				err := g.Check(field, in, upgradebot.PHIContext{Cleanup: true})
				if err == nil {
					continue
				} else if i == 0 {
					refused++
				}
				for _, msg := range []string{upgradebot.ErrorMessage(err), err.Error()} {
					for _, run := range digitRunRE.FindAllString(in+" "+field, -1) {
						if strings.Contains(msg, run) {
							t.Errorf("Check(%q, %q): %q repeats %q", field, in, msg, run)
						}
					}
					if strings.IndexFunc(msg, unicode.IsDigit) >= 0 {
						t.Errorf("Check(%q, %q): %q holds a digit", field, in, msg)
					}
				}
			}
		}
	}
	if refused != len(inputs)*len(fields) {
		t.Errorf("%d refusals, want %d: every input is patient data", refused, len(inputs)*len(fields))
	}
}

func TestPHICheckField(t *testing.T) {
	for field, want := range map[string]string{
		"title": "the title ", "release-note item": "the release-note item ", "": "the text ",
		"Col 7": "the text ", "MRN 00482913": "the text ", strings.Repeat("x", 41): "the text ",
	} {
		msg := upgradebot.ErrorMessage(upgradebot.PHIGuard{}.Check(field, "MRN 00482913", upgradebot.PHIContext{}))
		if !strings.HasPrefix(msg, want) {
			t.Errorf("Check(%q, …) = %q, want it to start %q", field, msg, want)
		}
	}
}

func TestPHIMessagesOnePerKind(t *testing.T) {
	g := upgradebot.PHIGuard{}
	msgs := map[string]upgradebot.PHIKind{}
	for in, kind := range map[string]upgradebot.PHIKind{
		"MRN 00482913": upgradebot.PHIMRN, "123-45-6789": upgradebot.PHISSN,
		"DOB 1/2/1960": upgradebot.PHIDOB, "00482913": upgradebot.PHIDigits,
	} {
		msg := upgradebot.ErrorMessage(g.Check("note", in, upgradebot.PHIContext{Cleanup: true}))
		if other, dup := msgs[msg]; dup || msg == "" {
			t.Errorf("%s and %s share the message %q", kind, other, msg)
		}
		msgs[msg] = kind
	}
	want := "the note holds what looks like a medical record number: keep patient identifiers in the EHR and write the ticket or work-queue number instead"
	if msgs[want] != upgradebot.PHIMRN {
		t.Errorf("the MRN message is not %q; got %v", want, msgs)
	}
}

func TestPHIGuardScan(t *testing.T) {
	g := upgradebot.PHIGuard{}
	hits := g.Scan(upgradebot.PHIContext{},
		upgradebot.PHIField{Name: "title", Text: "Upgrade lab interface INC0012345"},
		upgradebot.PHIField{Name: "note", Text: "pt SSN 123-45-6789"},
		upgradebot.PHIField{Name: "reason", Text: "DOB 1/2/1960 mismatch"},
	)
	want := []upgradebot.PHIHit{{Kind: upgradebot.PHISSN, Field: "note"}, {Kind: upgradebot.PHIDOB, Field: "reason"}}
	if len(hits) != len(want) || hits[0] != want[0] || hits[1] != want[1] {
		t.Fatalf("Scan = %v, want %v", hits, want)
	}
	if got := hits[0].String(); got != "note: Social Security number" {
		t.Errorf("hit.String() = %q", got)
	}
	if hits := g.Scan(upgradebot.PHIContext{}, upgradebot.PHIField{Name: "title", Text: "INC0012345"}); hits != nil {
		t.Errorf("Scan of a clean field = %v, want nil", hits)
	}
}

func TestValidateMRNPattern(t *testing.T) {
	for _, tc := range []struct {
		in, want string // want "" means refused
	}{
		{`MRN[: ]?\d{7,9}`, `MRN[: ]?\d{7,9}`},
		{"  " + teamPattern + "\t", teamPattern},
		{`(?:MRN|MR#)\s*\d{6,10}`, `(?:MRN|MR#)\s*\d{6,10}`},
		{"default", "default"},
		{" Default ", "default"},
		{"", ""},
		{"   ", ""},
		{`\d*`, ""},                   // matches empty text
		{`(?i)`, ""},                  // matches empty text
		{`^`, ""},                     // matches empty text
		{`\b`, ""},                    // matches inside ordinary words
		{`MRN`, ""},                   // an ordinary word here
		{`[a-z]+`, ""},                // ordinary words
		{`\d{7}`, ""},                 // matches INC0012345
		{`\d{1,2}/\d{1,2}/\d{4}`, ""}, // matches a due date
		{`\d+\.\d+`, ""},              // matches versions
		{`MRN(00482913`, ""},          // does not compile
		{`x{1001}`, ""},               // repeat count too large
		{`MRN\d{7}` + strings.Repeat("|x", 100), ""}, // too long
		{`\p{Nope}\d{7}`, ""},                        // bad class
	} {
		got, err := upgradebot.ValidateMRNPattern(tc.in)
		if tc.want == "" {
			if upgradebot.ErrorCode(err) != upgradebot.EINVALID {
				t.Errorf("ValidateMRNPattern(%q) = %q, %v; want EINVALID", tc.in, got, err)
			} else if msg := upgradebot.ErrorMessage(err); strings.Contains(msg, "00482913") || strings.Contains(msg, "Nope") {
				t.Errorf("ValidateMRNPattern(%q) echoes the pattern: %q", tc.in, msg)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ValidateMRNPattern(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
		// The setting takes the same values.
		if got, err := upgradebot.ValidateSetting(upgradebot.SettingPHIMRN, tc.in); err != nil || got != tc.want {
			t.Errorf("ValidateSetting(phi.mrn, %q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	if _, err := upgradebot.ValidateSetting(upgradebot.SettingPHIMRN, `\d*`); upgradebot.ErrorCode(err) != upgradebot.EINVALID {
		t.Errorf("ValidateSetting(phi.mrn, \\d*) = %v, want EINVALID", err)
	}
}

func TestNewPHIGuard(t *testing.T) {
	if _, err := upgradebot.NewPHIGuard(`\d*`); upgradebot.ErrorCode(err) != upgradebot.EINVALID {
		t.Errorf("NewPHIGuard(\\d*) = %v, want EINVALID", err)
	}
	for _, p := range []string{"", "default"} {
		g, err := upgradebot.NewPHIGuard(p)
		if err != nil || g.MRNPattern() != "" {
			t.Errorf("NewPHIGuard(%q) = %q, %v; want the built-in guard", p, g.MRNPattern(), err)
		}
	}
	g, err := upgradebot.NewPHIGuard(" " + teamPattern)
	if err != nil || g.MRNPattern() != teamPattern {
		t.Errorf("NewPHIGuard(%q) = %q, %v", teamPattern, g.MRNPattern(), err)
	}
}

func TestSettingsPHIGuard(t *testing.T) {
	ctx := upgradebot.PHIContext{}
	for _, tc := range []struct {
		stored   map[string]string
		wantTeam bool
	}{
		{nil, false},
		{map[string]string{upgradebot.SettingPHIMRN: teamPattern}, true},
		{map[string]string{upgradebot.SettingPHIMRN: "default"}, false},
		{map[string]string{upgradebot.SettingPHIMRN: `\d*`}, false}, // unreadable: built-in only
	} {
		g := upgradebot.Settings{Values: tc.stored}.PHIGuard()
		if _, ok := g.Find("E1234567", ctx); ok != tc.wantTeam {
			t.Errorf("guard for %v finds E1234567: %v, want %v", tc.stored, ok, tc.wantTeam)
		}
		if _, ok := g.Find("MRN 00482913", ctx); !ok {
			t.Errorf("guard for %v lets MRN 00482913 through", tc.stored)
		}
	}
}

func TestTaskPHIContext(t *testing.T) {
	for _, tc := range []struct {
		task upgradebot.Task
		want bool
	}{
		{upgradebot.Task{Kind: upgradebot.KindUpgrade}, false},
		{upgradebot.Task{Kind: upgradebot.KindMaintenance}, false},
		{upgradebot.Task{Kind: upgradebot.KindCleanup}, true},
		{upgradebot.Task{Kind: upgradebot.KindMaintenance, MaintenanceID: 3}, true},
	} {
		if got := tc.task.PHIContext().Cleanup; got != tc.want {
			t.Errorf("Task{Kind: %s, MaintenanceID: %d}.PHIContext().Cleanup = %v, want %v",
				tc.task.Kind, tc.task.MaintenanceID, got, tc.want)
		}
	}
}
