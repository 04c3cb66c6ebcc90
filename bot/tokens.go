package bot

import (
	"strings"
	"unicode"

	"github.com/upgradebot/upgradebot"
)

// token is one word of a command line.
type token struct {
	text   string // with quotes removed and HTML entities decoded
	quoted bool   // some part was inside quotes: never a keyword
	keyed  bool   // an unquoted "key:" comes before the first quote: ref:"CHG 1"
	escape bool   // a Slack escape <...>, text holds what is inside the brackets
}

// Opening and closing quotes. Slack turns "..." into “...” on many clients,
// and some send ”...” or „...“.
func isOpenQuote(r rune) bool { return r == '"' || r == '“' || r == '”' || r == '„' || r == '«' }

// closingQuote returns the index of the quote that closes the one at rs[i],
// or len(rs). A straight quote is closed by the next straight quote if there
// is one, so "Check the “interface” engine" keeps its inner quotes; otherwise
// (and for curly quotes) by any closing double quote.
func closingQuote(rs []rune, i int) int {
	find := func(match func(rune) bool) int {
		for j := i + 1; j < len(rs); j++ {
			if match(rs[j]) {
				return j
			}
		}
		return len(rs)
	}
	switch rs[i] {
	case '"':
		if j := find(func(r rune) bool { return r == '"' }); j < len(rs) {
			return j
		}
	case '«':
		return find(func(r rune) bool { return r == '»' })
	}
	return find(func(r rune) bool { return r == '”' || r == '“' || r == '"' })
}

// entities are the three escapes Slack applies to slash command text.
var entities = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">")

// tokenize splits a command line into words. Double quotes, straight or
// curly, group words; Slack escapes (<@U123|name>, <#C1|x>, <https://…>) are
// single tokens even when they contain spaces. An unclosed quote or bracket
// is EINVALID.
func tokenize(s string) ([]token, error) {
	var toks []token
	rs := []rune(s)
	for i := 0; i < len(rs); {
		if unicode.IsSpace(rs[i]) {
			i++
			continue
		}
		if rs[i] == '<' {
			j := i + 1
			for j < len(rs) && rs[j] != '>' {
				j++
			}
			if j == len(rs) {
				return nil, upgradebot.Errorf(upgradebot.EINVALID, "a `<` is not closed with `>`. Mention people with @ so Slack writes them as <@U…>.")
			}
			if j > i+1 {
				toks = append(toks, token{text: string(rs[i+1 : j]), escape: true})
			}
			i = j + 1
			continue
		}
		var b strings.Builder
		tok := token{}
		for i < len(rs) && !unicode.IsSpace(rs[i]) {
			if isOpenQuote(rs[i]) {
				j := closingQuote(rs, i)
				if j == len(rs) {
					return nil, upgradebot.Errorf(upgradebot.EINVALID, "a quote is not closed. Put titles with spaces in quotes: \"Review release notes\".")
				}
				if !tok.quoted && strings.HasSuffix(b.String(), ":") {
					tok.keyed = true
				}
				b.WriteString(string(rs[i+1 : j]))
				tok.quoted = true
				i = j + 1
				continue
			}
			if rs[i] == '<' {
				break
			}
			b.WriteRune(rs[i])
			i++
		}
		tok.text = entities.Replace(b.String())
		toks = append(toks, tok)
	}
	return toks, nil
}

// word reports whether t is a plain, unquoted word.
func (t token) word() bool { return !t.quoted && !t.escape }

// lower is the token's text in lower case, for keywords.
func (t token) lower() string { return strings.ToLower(t.text) }

// userRef reads a Slack user escape: "@U123" or "@U123|alice". ok is false
// if t is not a user escape at all; err is set if it looks like one but is
// malformed.
func (t token) userRef() (p upgradebot.Person, ok bool, err error) {
	if !t.escape || !strings.HasPrefix(t.text, "@") {
		return p, false, nil
	}
	id, name, _ := strings.Cut(t.text[1:], "|")
	if !upgradebot.ValidUserID(id) {
		return p, true, upgradebot.Errorf(upgradebot.EINVALID, "%q is not a Slack user I can read. Mention the person with @ and pick them from the list, so Slack sends <@U…>.", "<"+upgradebot.Clip(t.text, 40)+">")
	}
	return upgradebot.Person{ID: id, Name: entities.Replace(name)}, true, nil
}

// plain turns an escape that is not a user into readable text: links become
// their URL, channels #name, and @here/@channel are defused into plain words.
func (t token) plain() string {
	if !t.escape {
		return t.text
	}
	body, label, _ := strings.Cut(t.text, "|")
	label = entities.Replace(label)
	switch {
	case strings.HasPrefix(body, "#"):
		if label != "" {
			return "#" + label
		}
		return body
	case strings.HasPrefix(body, "!"):
		if label != "" {
			return label
		}
		name, _, _ := strings.Cut(body[1:], "^")
		return "@" + name
	default:
		return entities.Replace(body)
	}
}
