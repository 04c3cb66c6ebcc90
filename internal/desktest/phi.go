package desktest

import (
	"regexp"

	"github.com/upgradebot/upgradebot"
)

// PHICase is one text the patient-data guard refuses or passes, as the
// commands, the add-task modal and an import each take it (issue 13). Every
// identifier in it is made up.
type PHICase struct {
	Desc    string
	Text    string             // a title, a note, a question: one line
	Cleanup bool               // about a clean-up: long bare numbers are refused too
	Kind    upgradebot.PHIKind // what the guard finds; "" passes
}

// PHICases are the table the wiring's tests share: medical record numbers,
// Social Security numbers and dates of birth in the forms people type them,
// and the look-alikes the desk is full of that must pass (ticket numbers,
// due dates, release keys, versions, counts).
var PHICases = []PHICase{
	// Medical record numbers.
	{Desc: "issue 13's title", Text: "Merge MRN 00482913 into 00519377", Kind: upgradebot.PHIMRN},
	{Desc: "MRN colon", Text: "MRN: 00482913 registered twice", Kind: upgradebot.PHIMRN},
	{Desc: "mrn hash", Text: "mrn#4829133 duplicate", Kind: upgradebot.PHIMRN},
	{Desc: "MR#", Text: "MR# 4829133 registered twice", Kind: upgradebot.PHIMRN},
	{Desc: "MR space hash", Text: "MR #4829133 duplicate chart", Kind: upgradebot.PHIMRN},
	{Desc: "medical record number", Text: "medical record number 00482913", Kind: upgradebot.PHIMRN},
	{Desc: "Medical Record No.", Text: "Medical Record No. 482913 merge", Kind: upgradebot.PHIMRN},
	{Desc: "med rec #", Text: "fix med rec # 4829133", Kind: upgradebot.PHIMRN},
	{Desc: "MRN is", Text: "the MRN is 00482913", Kind: upgradebot.PHIMRN},
	{Desc: "grouped MRNs", Text: "MRNs 004-829-13 and 005-193-77 merged", Kind: upgradebot.PHIMRN},
	{Desc: "Slack formatting", Text: "check *MRN* `00482913`", Kind: upgradebot.PHIMRN},
	{Desc: "MRN in a clean-up", Text: "MRN 00482913 merged", Cleanup: true, Kind: upgradebot.PHIMRN},
	// Social Security numbers.
	{Desc: "SSN dashes", Text: "SSN 123-45-6789 on the account", Kind: upgradebot.PHISSN},
	{Desc: "spaced SSN", Text: "patient 123 45 6789 mismatch", Kind: upgradebot.PHISSN},
	{Desc: "social security number", Text: "social security number: 123456789", Kind: upgradebot.PHISSN},
	{Desc: "SS#", Text: "SS# 123 45 6789 on file", Kind: upgradebot.PHISSN},
	// Dates of birth.
	{Desc: "DOB m/d/yyyy", Text: "DOB 1/2/1960 mismatch", Kind: upgradebot.PHIDOB},
	{Desc: "D.O.B. ISO", Text: "D.O.B.: 1960-01-02 wrong", Kind: upgradebot.PHIDOB},
	{Desc: "born", Text: "born 01/02/1960 twin charts", Kind: upgradebot.PHIDOB},
	{Desc: "date of birth, day month", Text: "date of birth 02 Jan 1960", Kind: upgradebot.PHIDOB},
	{Desc: "Date of Birth, month day", Text: "Date of Birth: January 2, 1960", Kind: upgradebot.PHIDOB},
	// Long bare numbers, in clean-ups only.
	{Desc: "bare pair in a clean-up", Text: "Merge 00482913 into 00519377", Cleanup: true, Kind: upgradebot.PHIDigits},
	{Desc: "hash number in a clean-up", Text: "dup pair #4829133", Cleanup: true, Kind: upgradebot.PHIDigits},
	// Look-alikes that pass.
	{Desc: "bare pair outside a clean-up", Text: "Merge 00482913 into 00519377"},
	{Desc: "incident", Text: "INC0012345 vendor fix"},
	{Desc: "change", Text: "CHG0031044 approved"},
	{Desc: "request item", Text: "RITM0001234 follow-up"},
	{Desc: "project key in a clean-up", Text: "PRJ-1234567 duplicate merge", Cleanup: true},
	{Desc: "tickets in a clean-up", Text: "INC0012345 and CHG0031044 for the MRN clean-up", Cleanup: true},
	{Desc: "due date", Text: "due 12/5/2026 go-live"},
	{Desc: "ISO due date", Text: "go-live 2026-12-05"},
	{Desc: "release key", Text: "medcore-2026q4 release notes"},
	{Desc: "dotted release key", Text: "verisante-2026.3 build"},
	{Desc: "version", Text: "upgrade to 2026.1.0.3"},
	{Desc: "long build number in a clean-up", Text: "build 2026.1.0.3041234", Cleanup: true},
	{Desc: "short version", Text: "client v12.4 rollout"},
	{Desc: "extension and phone", Text: "call ext 4521 or 555-0134"},
	{Desc: "merge request", Text: "MR #42 reviewed"},
	{Desc: "MRN word and a count", Text: "MRN merge queue has 14 pairs left"},
	{Desc: "count in a clean-up", Text: "merged 1200 records", Cleanup: true},
	{Desc: "DOB without a date", Text: "DOB field missing on the registration form"},
	{Desc: "born, year only", Text: "born in 1960"},
}

var digitRuns = regexp.MustCompile(`\d{4,}`)

// PHIDigits are the runs of four or more digits in the texts of the cases
// the guard refuses (and in no text it passes, which may be shown): none
// of them may come back in a reply, a log line, a modal's error or an
// import's report.
func PHIDigits() []string {
	passed := map[string]bool{}
	for _, c := range PHICases {
		if c.Kind == "" {
			for _, run := range digitRuns.FindAllString(c.Text, -1) {
				passed[run] = true
			}
		}
	}
	var out []string
	for _, c := range PHICases {
		if c.Kind == "" {
			continue
		}
		for _, run := range digitRuns.FindAllString(c.Text, -1) {
			if !passed[run] {
				out = append(out, run)
			}
		}
	}
	return out
}
