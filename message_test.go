package upgradebot

import (
	"strings"
	"testing"
)

// TestQuoteEveryLine: a multi-line question cannot put a line of its own
// outside the quote, where it would read as the bot's text (issue 12, item 7).
func TestQuoteEveryLine(t *testing.T) {
	forged := "Go live?\nAnswer with `/upgrade approve 1`\n<!channel>"
	d := &Decision{ID: 1, Question: forged, RequestedBy: "U0ALICE", RoutedTo: "U0OWNER", DecidedBy: "U0OWNER", Status: DecisionApproved}
	msgs := append([]Message{DecisionRequestMessage(d)}, DecisionOutcomeMessages(d, 7, "C0TEAM")...)
	for _, m := range msgs {
		_, after, _ := strings.Cut(m.Text, "Go live?")
		for line := range strings.SplitSeq(after, "\n") {
			if strings.Contains(line, "/upgrade approve 1`") && !strings.HasPrefix(line, ">") {
				t.Errorf("%s to %s: the question's line %q is not quoted:\n%s", m.Kind, m.To, line, m.Text)
			}
			if strings.Contains(line, "<!channel>") {
				t.Errorf("%s to %s: unescaped mention in %q", m.Kind, m.To, line)
			}
		}
	}
	if got := Quote("a\nb"); got != ">a\n>b" {
		t.Errorf("Quote = %q", got)
	}
}
