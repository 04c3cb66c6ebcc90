package upgradebot

import (
	"strings"
	"testing"
	"unicode"
)

// FuzzPHIGuard: any text is passed or refused, never a panic; Find, Check
// and Scan agree; a refusal is EINVALID with the kind's fixed message,
// which holds no digit and never the matched text. (This test is in the
// package to see what matched; nothing outside it can.)
//
//	go test . -run '^$' -fuzz FuzzPHIGuard -fuzztime 60s
func FuzzPHIGuard(f *testing.F) {
	for _, s := range []string{
		"Merge MRN 00482913 into 00519377", "MR# 4829133", "medical record no. 482913", "MRNs 004-829-13",
		"SSN 123-45-6789", "123 45 6789", "social security number: 123456789", "DOB 1/2/1960",
		"D.O.B.: 1960-01-02", "born 01/02/1960", "date of birth 2nd of January 1960", "Merge 00482913 into 00519377",
		"INC0012345", "PRJ-1234567", "due 12/5/2026", "medcore-2026q4", "2026.1.0.3041234", "merged 1200 records",
		"MR #42", "mrn", "é1234567", "1234567é", "-1234567", "x-1234567", ".1234567.", "1.1234567",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	team, err := NewPHIGuard(`MRN[: ]?\d{7,9}`)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string, cleanup bool) {
		ctx := PHIContext{Cleanup: cleanup}
		for _, g := range []PHIGuard{{}, team} {
			kind, start, end, ok := g.find(text, ctx)
			k2, ok2 := g.Find(text, ctx)
			if k2 != kind || ok2 != ok {
				t.Fatalf("Find(%q) = %q, %v; find = %q, %v", text, k2, ok2, kind, ok)
			}
			err := g.Check("title", text, ctx)
			hits := g.Scan(ctx, PHIField{Name: "title", Text: text})
			if !ok {
				if err != nil || hits != nil {
					t.Fatalf("%q: nothing found, but Check = %v, Scan = %v", text, err, hits)
				}
				continue
			}
			if start < 0 || end <= start || end > len(text) {
				t.Fatalf("%q: match [%d:%d] is empty or out of range", text, start, end)
			}
			matched := text[start:end]
			if ErrorCode(err) != EINVALID {
				t.Fatalf("Check(%q) = %v, want EINVALID", text, err)
			}
			if len(hits) != 1 || hits[0] != (PHIHit{Kind: kind, Field: "title"}) {
				t.Fatalf("Scan(%q) = %v, want one %s hit", text, hits, kind)
			}
			for _, msg := range []string{ErrorMessage(err), err.Error(), hits[0].String()} {
				if strings.Contains(msg, matched) {
					t.Fatalf("%q: %q repeats the match %q", text, msg, matched)
				}
				if strings.IndexFunc(msg, unicode.IsDigit) >= 0 {
					t.Fatalf("%q: %q holds a digit", text, msg)
				}
			}
			if got, want := ErrorMessage(err), "the title "+kind.reason(); got != want {
				t.Fatalf("Check(%q) says %q, want %q", text, got, want)
			}
		}
	})
}

// FuzzValidateMRNPattern: any pattern is accepted in a canonical form or
// refused with EINVALID, never a panic; an accepted pattern builds a guard,
// reads back unchanged and matches none of the look-alikes.
//
//	go test . -run '^$' -fuzz FuzzValidateMRNPattern -fuzztime 60s
func FuzzValidateMRNPattern(f *testing.F) {
	for _, s := range []string{
		`MRN[: ]?\d{7,9}`, `\bE\d{7}\b`, "default", "", `\d*`, `MRN`, `(`, `x{1001}`, `(?-i)mrn\d{8}`, `\B`, `$`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		canon, err := ValidateMRNPattern(p)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("ValidateMRNPattern(%q) = %v, want EINVALID", p, err)
			}
			return
		}
		if again, err := ValidateMRNPattern(canon); err != nil || again != canon {
			t.Fatalf("ValidateMRNPattern(%q) = %q, which gives %q, %v", p, canon, again, err)
		}
		g, err := NewPHIGuard(p)
		if err != nil {
			t.Fatalf("NewPHIGuard(%q) = %v after the pattern validated", p, err)
		}
		for _, s := range mrnPatternSamples {
			if g.mrn != nil && g.mrn.MatchString(s) {
				t.Fatalf("pattern %q validated but matches %q", p, s)
			}
		}
	})
}
