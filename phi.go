package upgradebot

import (
	"errors"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Patient-data guard.
//
// The desk lives in Slack, and what it stores it also posts there. Slack's
// own HIPAA guidance ("Slack and HIPAA" in its help centre) allows
// protected health information (PHI) only on Enterprise Grid under a
// business associate agreement (BAA), only in messages and files, and
// says Slack has no BAA with any third-party app provider. This desk is
// such an app, with its own copy of everything it posts. So it keeps
// patient identifiers out altogether: everything it stores or posts
// (titles, notes, questions, reasons, release-note items, modal fields,
// CSV rows) is to be checked with a PHIGuard before anything is written,
// and a match refuses the whole command.
//
// The guard looks for the identifiers an upgrade team actually types:
// medical record numbers (the team's own pattern, see SettingPHIMRN, and a
// built-in one for "MRN", "MR#" or "medical record number" followed by a
// number), US Social Security numbers, dates of birth written as such
// ("DOB 1/2/1960") and, in clean-up tasks, where duplicate records are
// merged and bare MRNs are pasted, any long bare number. Ticket numbers
// (INC0012345), due dates, release keys, version numbers and counts pass.
//
// A guard never returns, logs or echoes what it matched: its errors and
// hits say which kind of identifier and which field, never the value, so
// the refusal itself cannot leak it to chat, logs or the audit.

// PHIKind is a kind of patient identifier the guard refuses. It is safe to
// log and to audit.
type PHIKind string

// Kinds of patient identifier.
const (
	PHIMRN    PHIKind = "mrn"    // a medical record number
	PHISSN    PHIKind = "ssn"    // a US Social Security number
	PHIDOB    PHIKind = "dob"    // a date of birth written as such
	PHIDigits PHIKind = "digits" // a long bare number in a clean-up task
)

// Human names the kind for people: "medical record number".
func (k PHIKind) Human() string {
	switch k {
	case PHIMRN:
		return "medical record number"
	case PHISSN:
		return "Social Security number"
	case PHIDOB:
		return "date of birth"
	case PHIDigits:
		return "long bare number"
	}
	return "patient identifier"
}

// phiAdvice is what to write instead, said once for every kind.
const phiAdvice = "keep patient identifiers in the EHR and write the ticket or work-queue number instead"

// reason is the refusal for the kind, after the subject ("the title").
// Reasons hold no digits, so a refusal can never repeat a number it was
// given.
func (k PHIKind) reason() string {
	switch k {
	case PHISSN:
		return "holds what looks like a Social Security number, which must never reach Slack: " + phiAdvice
	case PHIDOB:
		return "holds what looks like a date of birth: " + phiAdvice + " (due dates are fine)"
	case PHIDigits:
		return "holds a long bare number, which in a clean-up task is most likely a medical record number: " +
			phiAdvice + "; a ticket number keeps its prefix"
	}
	return "holds what looks like a medical record number: " + phiAdvice
}

// PHIContext is what the guard knows about where the text goes.
type PHIContext struct {
	// Cleanup is set for text about a clean-up (a cleanup task, an
	// occurrence of a recurring clean-up, the clean-up itself, its
	// import rows). Duplicate-record clean-ups are where bare MRNs get
	// pasted, so there every run of MinPHIDigits or more digits not part
	// of a ticket number or version is refused as well.
	Cleanup bool
}

// PHIContext returns the context for text about t: Cleanup for a cleanup
// task and for an occurrence of a recurring clean-up.
func (t *Task) PHIContext() PHIContext {
	return PHIContext{Cleanup: t.Kind == KindCleanup || t.MaintenanceID != 0}
}

// MinPHIDigits is the shortest bare number refused in a clean-up context.
// MRNs run 7 to 10 digits; counts ("merged 1200 records"), extensions
// and years are shorter.
const MinPHIDigits = 7

// MaxMRNPatternLen bounds the team's MRN pattern, in bytes.
const MaxMRNPatternLen = 200

// MRNPatternDefault is the value of SettingPHIMRN that drops the team's
// pattern and keeps only the built-in one.
const MRNPatternDefault = "default"

// Pieces of the built-in patterns. All are case-insensitive; RE2 has no
// look-around, so boundaries are \b or checked by hand (bareDigits).
const (
	// phiSep is what people put between a label and its value:
	// "MRN: ", "MR# ", "DOB - ", "SSN *…*" (Slack bold), "(…)".
	phiSep = "[\\s:#=.*_~'\"`()\\[\\]-]{0,6}"
	// phiFiller is a word between a label and its value: "MRN is …".
	phiFiller = `(?:(?:is|was|on|of|number|num|nbr|no)\.?` + phiSep + `)?`
	phiMonth  = `(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|` +
		`sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?`
)

var (
	// mrnRE: "MRN 00482913", "MR# 482913", "MR #482913", "MRNs 004-829-13",
	// "MRN: E1234567", "medical record (number) 482913", "med rec #
	// 482913". Five digits or more, so "MRN 14 pairs", "MRNs 1200
	// merged" and "MR #4521" (a merge request) pass.
	mrnRE = regexp.MustCompile(`(?i)\b(?:mrns?|mr\s?#|med(?:ical)?\.?\s*rec(?:ord)?s?\.?\s*(?:number|num|nbr|no\.?|#)?)` +
		phiSep + phiFiller + `(?:[a-z]{1,2}[ -]?)?\d(?:[ -]?\d){4,}`)
	// ssnRE: 123-45-6789 and 123 45 6789 anywhere; nine digits (any
	// grouping) after "SSN", "SS#" or "social security (number)". A bare
	// 123456789 is left to the clean-up digit rule.
	ssnRE = regexp.MustCompile(`(?i)\b\d{3}[ -]\d{2}[ -]\d{4}\b|` +
		`\b(?:ssn|ss#|soc(?:ial)?\.?\s*sec(?:urity)?\.?(?:\s*(?:number|num|nbr|no\.?|#))?)` +
		phiSep + phiFiller + `\d{3}[ -]?\d{2}[ -]?\d{4}\b`)
	// dobRE: a date right after "DOB", "D.O.B.", "date of birth",
	// "birth date" or "born (on)". A year alone is not a date of birth
	// (nor is a birthday, which staff have too); a date without the label
	// is a due date.
	dobRE = regexp.MustCompile(`(?i)\b(?:dob|d\.\s?o\.\s?b\.?|date\s+of\s+birth|birth\s*date|born)` +
		phiSep + phiFiller + `(?:` +
		`\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b|` + // 1/2/1960, 01-02-60
		`\d{1,2}/\d{1,2}\b|` + // 1/2
		`\d{4}[/.-]\d{1,2}[/.-]\d{1,2}\b|` + // 1960-01-02
		`(?:19|20)\d{6}\b|` + // 19600102
		phiMonth + `\s*\d{1,2}(?:st|nd|rd|th)?\b|` + // Jan 2, 1960
		`\d{1,2}(?:st|nd|rd|th)?\s*(?:of\s+)?` + phiMonth + // 2 January 1960
		`)`)
)

// PHIGuard checks text for patient identifiers. The zero value uses the
// built-in patterns only; NewPHIGuard adds the team's MRN pattern. A
// PHIGuard is safe for concurrent use.
type PHIGuard struct {
	mrn *regexp.Regexp // the team's MRN pattern, case-insensitive; nil if none
}

// NewPHIGuard returns a guard that refuses what the built-in patterns
// refuse and, unless pattern is "" or MRNPatternDefault, whatever pattern
// matches, case-insensitively. The team's pattern adds to the built-in
// one and cannot switch it off: a narrower pattern must not weaken the
// guard. Returns EINVALID if ValidateMRNPattern refuses pattern.
func NewPHIGuard(pattern string) (PHIGuard, error) {
	if strings.TrimSpace(pattern) == "" {
		return PHIGuard{}, nil
	}
	canon, err := ValidateMRNPattern(pattern)
	if err != nil {
		return PHIGuard{}, err
	} else if canon == MRNPatternDefault {
		return PHIGuard{}, nil
	}
	return PHIGuard{mrn: regexp.MustCompile("(?i)" + canon)}, nil
}

// PHIGuard returns the guard for the team's stored MRN pattern. A stored
// pattern that no longer validates is ignored, as Config ignores such
// values: the built-in patterns still apply.
func (s Settings) PHIGuard() PHIGuard {
	g, err := NewPHIGuard(s.Values[SettingPHIMRN])
	if err != nil {
		return PHIGuard{}
	}
	return g
}

// MRNPattern returns the team's MRN pattern as set, "" if there is none.
func (g PHIGuard) MRNPattern() string {
	if g.mrn == nil {
		return ""
	}
	return strings.TrimPrefix(g.mrn.String(), "(?i)")
}

// Find reports the first kind of patient identifier in text, trying the
// team's MRN pattern, the built-in MRN, SSN and date-of-birth patterns and,
// in a clean-up context, long bare numbers, in that order. It never says
// what matched.
func (g PHIGuard) Find(text string, ctx PHIContext) (kind PHIKind, ok bool) {
	kind, _, _, ok = g.find(text, ctx)
	return kind, ok
}

// find is Find with the matched bytes, text[start:end], for tests that
// prove the match is not echoed. The match never leaves the package.
func (g PHIGuard) find(text string, ctx PHIContext) (kind PHIKind, start, end int, ok bool) {
	if g.mrn != nil {
		// A team pattern that validated cannot match "", but it may
		// still match nothing at some spot; skip empty matches.
		for _, m := range g.mrn.FindAllStringIndex(text, -1) {
			if m[1] > m[0] {
				return PHIMRN, m[0], m[1], true
			}
		}
	}
	if !strings.ContainsAny(text, "0123456789") {
		return "", 0, 0, false // every built-in pattern needs a digit
	}
	for _, p := range []struct {
		kind PHIKind
		re   *regexp.Regexp
	}{{PHIMRN, mrnRE}, {PHISSN, ssnRE}, {PHIDOB, dobRE}} {
		if m := p.re.FindStringIndex(text); m != nil {
			return p.kind, m[0], m[1], true
		}
	}
	if ctx.Cleanup {
		if i, j, found := bareDigits(text); found {
			return PHIDigits, i, j, true
		}
	}
	return "", 0, 0, false
}

// bareDigits finds the first run of MinPHIDigits or more ASCII digits that
// is not part of a word or a dotted number: INC0012345, PRJ-1234567,
// 1234567th and 2026.1.1234567 are not bare; "#00482913" and
// "00482913," are.
func bareDigits(s string) (start, end int, ok bool) {
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j-i >= MinPHIDigits && !attached(s, i, j) {
			return i, j, true
		}
		i = j
	}
	return 0, 0, false
}

// attached reports whether the digits s[i:j] belong to a word or a
// version: a letter right before or after, a letter then '-' or '_'
// before (a ticket key), or a digit then '.' on either side.
func attached(s string, i, j int) bool {
	before, _ := utf8.DecodeLastRuneInString(s[:i])
	after, _ := utf8.DecodeRuneInString(s[j:])
	if unicode.IsLetter(before) || unicode.IsLetter(after) {
		return true
	}
	if (before == '-' || before == '_') && i >= 1 {
		if r, _ := utf8.DecodeLastRuneInString(s[:i-1]); unicode.IsLetter(r) {
			return true
		}
	}
	if before == '.' && i >= 2 && isDigit(s[i-2]) {
		return true
	}
	if after == '.' && j+1 < len(s) && isDigit(s[j+1]) {
		return true
	}
	return false
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// Check returns nil if text holds no patient identifier, or EINVALID
// saying what kind was found in field ("title", "note", "reason"…) and
// what to write instead. The message never contains the matched text,
// nor any digit at all: field is named only if it is a short label
// without digits, else the message says "the text".
func (g PHIGuard) Check(field, text string, ctx PHIContext) error {
	kind, ok := g.Find(text, ctx)
	if !ok {
		return nil
	}
	return Errorf(EINVALID, "%s %s", phiSubject(field), kind.reason())
}

// phiSubject is "the title", or "the text" when field is not a plain
// label (it may come from an imported file's header).
func phiSubject(field string) string {
	field = strings.TrimSpace(field)
	if field == "" || len(field) > 40 || !utf8.ValidString(field) ||
		strings.IndexFunc(field, func(r rune) bool { return unicode.IsDigit(r) || unicode.IsControl(r) }) >= 0 {
		return "the text"
	}
	return "the " + field
}

// PHIField is one piece of stored text to scan, named as users know it
// ("title", "note").
type PHIField struct {
	Name string
	Text string
}

// PHIHit says that a field holds a kind of patient identifier, without
// the value. `phi scan` lists hits by record id.
type PHIHit struct {
	Kind  PHIKind
	Field string
}

// String is "title: medical record number".
func (h PHIHit) String() string { return h.Field + ": " + h.Kind.Human() }

// Scan checks each field and returns a hit for each one that holds a
// patient identifier, in order; nil if none does.
func (g PHIGuard) Scan(ctx PHIContext, fields ...PHIField) []PHIHit {
	var hits []PHIHit
	for _, f := range fields {
		if kind, ok := g.Find(f.Text, ctx); ok {
			hits = append(hits, PHIHit{Kind: kind, Field: f.Name})
		}
	}
	return hits
}

// mrnPatternSamples are texts a team's MRN pattern must not match: empty
// text, ordinary words, and the look-alikes the desk is full of. A pattern
// matching one of them would refuse everyday commands.
var mrnPatternSamples = []string{
	"", " ", "a", "the", "MRN", "MRNs", "mrn merge queue", "medical record number",
	"Merge duplicate MRNs in the lab queue", "Upgrade the lab interface",
	"INC0012345", "CHG0031044", "RITM0001234", "PRJ-1234",
	"due 12/5/2026", "2026-12-05", "medcore-2026q4", "verisante-2026.3",
	"2026.1.0.3", "v12.4", "ext 4521", "14 pairs merged", "merged 1200 records",
}

// ValidateMRNPattern checks the team's MRN pattern (SettingPHIMRN) and
// returns it in canonical form: trimmed, or MRNPatternDefault for
// "default". Returns EINVALID if the pattern is empty, longer than
// MaxMRNPatternLen, not a regular expression (RE2 syntax, as Go's regexp
// reads it), or matches empty text, ordinary words or a look-alike such as
// a ticket number or a due date. The pattern is matched case-insensitively.
// Errors do not echo the pattern.
func ValidateMRNPattern(pattern string) (string, error) {
	p := strings.TrimSpace(pattern)
	const example = `like MRN[: ]?\d{7,9}`
	switch {
	case strings.EqualFold(p, MRNPatternDefault):
		return MRNPatternDefault, nil
	case p == "":
		return "", Errorf(EINVALID, "give the MRN pattern as a regular expression, %s, or %q for the built-in one only", example, MRNPatternDefault)
	case len(p) > MaxMRNPatternLen:
		return "", Errorf(EINVALID, "an MRN pattern of %d characters is longer than the %d allowed", len(p), MaxMRNPatternLen)
	}
	re, err := regexp.Compile("(?i)" + p)
	if err != nil {
		why := "it does not read"
		var se *syntax.Error
		if errors.As(err, &se) {
			why = string(se.Code)
		}
		return "", Errorf(EINVALID, "the MRN pattern is not a regular expression (%s); write one %s", why, example)
	}
	for _, s := range mrnPatternSamples {
		if !re.MatchString(s) {
			continue
		}
		if strings.TrimSpace(s) == "" {
			return "", Errorf(EINVALID, "the MRN pattern matches empty text, so it would refuse everything; make it require the number, %s", example)
		}
		return "", Errorf(EINVALID, "the MRN pattern matches %q, which is not a medical record number; make it require the number itself, %s", s, example)
	}
	return p, nil
}
