package taskcsv

import (
	"strings"
	"unicode/utf8"

	"github.com/upgradebot/upgradebot"
)

// formulaStart are the characters that make a spreadsheet read a cell as a
// formula (OWASP's list for CSV injection).
const formulaStart = "=+-@\t\r"

// neutralise makes a cell that a spreadsheet would run as a formula
// (=HYPERLINK(…), +1, -1, @SUM(…)) text, with a leading apostrophe. So
// that unneutralise can tell the two apart, a cell that already starts
// with apostrophes before such a character gets one more: the title '=1
// is written ”=1, which a spreadsheet shows as '=1.
func neutralise(s string) string {
	if formulaAfter(s, 0) {
		return "'" + s
	}
	return s
}

// unneutralise undoes neutralise: an apostrophe followed by a formula
// character (or by more apostrophes and then one) is dropped; any other
// apostrophe is kept.
func unneutralise(s string) string {
	if formulaAfter(s, 1) {
		return s[1:]
	}
	return s
}

// formulaAfter reports whether s is at least min apostrophes and then a
// formula character.
func formulaAfter(s string, min int) bool {
	rest := strings.TrimLeft(s, "'")
	return len(s)-len(rest) >= min && rest != "" && strings.IndexByte(formulaStart, rest[0]) >= 0
}

// cp1252 are the characters of Windows-1252 from 0x80 to 0x9F; the bytes
// from 0xA0 up are the Latin-1 characters of the same number. 0 marks the
// five bytes the code page leaves undefined.
var cp1252 = [32]rune{
	'€', 0, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0, 'Ž', 0,
	0, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0, 'ž', 'Ÿ',
}

// text returns a cell as UTF-8. Excel's plain "CSV" (not "CSV UTF-8")
// writes the Windows code page, so a cell that is not UTF-8 is read as
// Windows-1252: "Übergabe" stays "Übergabe", not a refused title. An
// undefined byte becomes U+FFFD.
func text(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c < 0x80:
			b.WriteByte(c)
		case c < 0xA0 && cp1252[c-0x80] != 0:
			b.WriteRune(cp1252[c-0x80])
		case c < 0xA0:
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(rune(c))
		}
	}
	return b.String()
}

// Delimiters are the field separators Read tells apart by itself.
var delimiters = []rune{',', ';', '\t'}

// ParseDelimiter reads -delimiter: "," ";" "tab" (or a tab character),
// also by name: comma, semicolon.
func ParseDelimiter(s string) (rune, error) {
	switch strings.ToLower(s) {
	case ",", "comma":
		return ',', nil
	case ";", "semicolon":
		return ';', nil
	case "\t", "tab", `\t`:
		return '\t', nil
	}
	return 0, upgradebot.Errorf(upgradebot.EINVALID, "%q is not a delimiter I read; say \",\", \";\" or tab", s)
}

// delimiterName names a delimiter for people.
func delimiterName(c rune) string {
	switch c {
	case ';':
		return "semicolon"
	case '\t':
		return "tab"
	}
	return "comma"
}

// detectDelimiter chooses the delimiter a header line uses most outside
// quotes: comma, semicolon or tab, comma on a tie or when it has none.
func detectDelimiter(head string) rune {
	count := map[rune]int{}
	quoted := false
	for _, c := range head {
		if c == '"' {
			quoted = !quoted
		} else if !quoted {
			count[c]++
		}
	}
	best := ','
	for _, d := range delimiters {
		if count[d] > count[best] {
			best = d
		}
	}
	return best
}

// excelSep reads Excel's first line "sep=;", which names the delimiter of
// the file and is not its header.
func excelSep(line string) (rune, bool) {
	line = strings.TrimRight(line, "\r\n")
	if len(line) != 5 || !strings.EqualFold(line[:4], "sep=") {
		return 0, false
	}
	c := rune(line[4])
	for _, d := range delimiters {
		if c == d {
			return c, true
		}
	}
	return 0, false
}
