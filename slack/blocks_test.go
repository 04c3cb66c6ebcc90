package slack_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"
	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
	slackapp "github.com/upgradebot/upgradebot/slack"
)

// sections returns the text of each section block, failing on any other
// kind of block.
func sections(t *testing.T, bs []slack.Block) []string {
	t.Helper()
	var out []string
	for _, b := range bs {
		s, ok := b.(*slack.SectionBlock)
		if !ok {
			t.Fatalf("block %T, want a section", b)
		}
		if s.Text.Type != slack.MarkdownType || !s.Text.Verbatim {
			t.Errorf("section text is %s verbatim=%v, want verbatim mrkdwn", s.Text.Type, s.Text.Verbatim)
		}
		out = append(out, s.Text.Text)
	}
	return out
}

func TestMessageBlocksSplitting(t *testing.T) {
	line := func(i int) string { return fmt.Sprintf("• #%d %s", i, strings.Repeat("x", 90)) }
	var lines []string
	for i := range 100 {
		lines = append(lines, line(i))
	}
	long := strings.Join(lines, "\n")
	astral := strings.Repeat("😀", 2000) // 4,000 UTF-16 units, no spaces
	for _, tc := range []struct {
		desc     string
		text     string
		sections int
		joined   string // what the sections join back to ("" = text)
	}{
		{desc: "short text is one section", text: "Added #1 Read the notes.", sections: 1},
		{desc: "lines are kept whole", text: long, sections: 4},
		{desc: "blank lines at a section's edge are dropped", text: "\n\nhello\n\n", sections: 1, joined: "hello"},
		{desc: "a long line is cut at a space", text: strings.Repeat("word ", 1000), sections: 2},
		{desc: "a long line without spaces is cut anywhere", text: strings.Repeat("y", 7000), sections: 3},
		{desc: "astral characters count twice", text: astral, sections: 2},
		{desc: "empty text has no sections", text: "", sections: 0},
	} {
		m := &upgradebot.Message{Kind: upgradebot.MessagePost, To: "C0TEAM", Text: tc.text}
		got := sections(t, slackapp.MessageBlocks(m))
		if len(got) != tc.sections {
			t.Errorf("%s: %d sections, want %d", tc.desc, len(got), tc.sections)
		}
		for i, s := range got {
			n := len(utf16(s))
			if n > 3000 || strings.TrimSpace(s) == "" || !utf8.ValidString(s) {
				t.Errorf("%s: section %d has %d characters (valid %v)", tc.desc, i, n, utf8.ValidString(s))
			}
		}
		want := tc.joined
		if want == "" {
			want = tc.text
		}
		sep := "\n"
		if strings.HasPrefix(tc.desc, "a long line") || strings.HasPrefix(tc.desc, "astral") {
			sep = ""
		}
		if tc.desc == "a long line is cut at a space" {
			sep = " "
		}
		if j := strings.Join(got, sep); j != want {
			t.Errorf("%s: sections join to %d bytes, want %d", tc.desc, len(j), len(want))
		}
	}
}

func utf16(s string) []rune {
	var out []rune
	for _, r := range s {
		out = append(out, r)
		if r >= 0x10000 {
			out = append(out, 0)
		}
	}
	return out
}

func TestMessageBlocksNeverCutsAnEscape(t *testing.T) {
	text := "ab" + strings.Repeat("&amp;<@U0ALICE>", 400) // 6,002 characters, no spaces
	got := sections(t, slackapp.MessageBlocks(&upgradebot.Message{Kind: upgradebot.MessageDM, Text: text}))
	if len(got) != 3 || strings.Join(got, "") != text {
		t.Fatalf("%d sections, or they do not join back to the text", len(got))
	}
	for i, s := range got {
		if i > 0 && !strings.HasPrefix(s, "&amp;") && !strings.HasPrefix(s, "<@") {
			t.Errorf("a section starts inside an escape: %.20q", s)
		}
		if !strings.HasSuffix(s, ";") && !strings.HasSuffix(s, ">") {
			t.Errorf("a section ends inside an escape: …%q", s[len(s)-20:])
		}
	}
}

func TestMessageBlocksLimit(t *testing.T) {
	text := strings.Repeat(strings.Repeat("z", 2999)+"\n", 60)
	m := &upgradebot.Message{Kind: upgradebot.MessageDM, To: "U0OWNER", Text: text, DecisionID: 7}
	bs := slackapp.MessageBlocks(m)
	if len(bs) != 50 {
		t.Fatalf("%d blocks, want Slack's 50", len(bs))
	}
	got := sections(t, bs[:49])
	if last := got[48]; !strings.HasSuffix(last, "…") || len(utf16(last)) > 3000 {
		t.Errorf("the last section does not say it was cut: …%q", last[len(last)-10:])
	}
	if _, ok := bs[49].(*slack.ActionBlock); !ok {
		t.Errorf("the buttons were cut: last block %T", bs[49])
	}
	if fb := slackapp.FallbackText(text); len(utf16(fb)) > 3000 || !strings.HasSuffix(fb, "…") {
		t.Errorf("fallback text is %d characters", len(utf16(fb)))
	}
}

func TestMessageBlocksButtons(t *testing.T) {
	text := "*Decision #7* requested by <@U0ALICE>:\n>Go live?"
	for _, tc := range []struct {
		desc string
		m    upgradebot.Message
		want []button
	}{
		{"decision request DM", upgradebot.Message{Kind: upgradebot.MessageDM, DecisionID: 7}, // issue 15: and a comment
			[]button{{slackapp.ActionApprove, "7", "primary"}, {slackapp.ActionApproveComment, "7", ""}, {slackapp.ActionReject, "7", "danger"}}},
		{"update shows the outcome only", upgradebot.Message{Kind: upgradebot.MessageUpdate, DecisionID: 7, UpdateOf: 1}, nil},
		{"plain DM", upgradebot.Message{Kind: upgradebot.MessageDM}, nil},
		{"channel post", upgradebot.Message{Kind: upgradebot.MessagePost, DecisionID: 7}, nil},
	} {
		tc.m.Text = text
		raw, err := json.Marshal(slackapp.MessageBlocks(&tc.m))
		if err != nil {
			t.Fatal(err)
		}
		var decoded []any
		if err := json.Unmarshal(raw, &decoded); err != nil {
			t.Fatal(err)
		}
		if got := buttons(decoded); fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%s: buttons %v, want %v", tc.desc, got, tc.want)
		}
		if !strings.Contains(texts(decoded), ">Go live?") {
			t.Errorf("%s: text lost: %s", tc.desc, raw)
		}
	}
}

func TestReplyMessage(t *testing.T) {
	for _, r := range []bot.Reply{{Text: "*Open tasks* (1)\n• #1 Thing"}, {Text: "Shared list", Public: true}} {
		msg := slackapp.ReplyMessage(r)
		want := "ephemeral"
		if r.Public {
			want = "in_channel"
		}
		if msg.ResponseType != want || msg.Text != r.Text || msg.ReplaceOriginal {
			t.Errorf("%+v: response_type %q text %q replace_original %v", r, msg.ResponseType, msg.Text, msg.ReplaceOriginal)
		}
		if got := sections(t, msg.Blocks.BlockSet); len(got) != 1 || got[0] != r.Text {
			t.Errorf("%+v: sections %q", r, got)
		}
	}
	long := slackapp.ReplyMessage(bot.Reply{Text: strings.Repeat("line\n", 2000)})
	if n := len(long.Blocks.BlockSet); n < 4 || n > 50 {
		t.Errorf("a 10,000-character reply has %d blocks", n)
	}
}
