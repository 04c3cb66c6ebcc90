package upgradebot

import (
	"strings"
	"testing"
	"time"
)

// TestQuoteEveryLine: a multi-line question cannot put a line of its own
// outside the quote, where it would read as the bot's text (issue 12, item 7).
func TestQuoteEveryLine(t *testing.T) {
	forged := "Go live?\nAnswer with `/upgrade approve 1`\n<!channel>"
	d := &Decision{ID: 1, Question: forged, RequestedBy: "U0ALICE", RoutedTo: "U0OWNER", DecidedBy: "U0OWNER", Status: DecisionApproved}
	msgs := append([]Message{DecisionRequestMessage(d, time.UTC)}, DecisionOutcomeMessages(d, []DecisionCard{{Message: 7, To: "U0OWNER"}}, "C0TEAM", time.UTC)...)
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

// TestSlackSafe: what is not Slack's own syntax is escaped, what is stays.
func TestSlackSafe(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"`/upgrade reject 3 <reason>`", "`/upgrade reject 3 &lt;reason&gt;`"},
		{"assigned by <@U0ALICE> to <@W0BOB|bob>", "assigned by <@U0ALICE> to <@W0BOB|bob>"},
		{"in <#C0TEAM> and <#C0TEAM|upgrades>", "in <#C0TEAM> and <#C0TEAM|upgrades>"},
		{"see <https://wiki.example/x|the wiki>", "see <https://wiki.example/x|the wiki>"},
		{"<!channel> <!here>", "&lt;!channel&gt; &lt;!here&gt;"},
		{"Labs &amp; rads &lt;check&gt;", "Labs &amp; rads &lt;check&gt;"},
		{"a & b < c > d", "a &amp; b &lt; c &gt; d"},
		{">quoted\n>second line", ">quoted\n>second line"},
		{"<@U0ALICE", "&lt;@U0ALICE"},
		{"<<@U0ALICE>>", "&lt;<@U0ALICE>&gt;"},
		{"<from>..<to>", "&lt;from&gt;..&lt;to&gt;"},
	} {
		got := SlackSafe(tt.in)
		if got != tt.want {
			t.Errorf("SlackSafe(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if again := SlackSafe(got); again != got {
			t.Errorf("SlackSafe is not idempotent on %q: %q", got, again)
		}
	}
}

// TestForViewer: a DM or an App Home shows the reader "you", never their
// own mention.
func TestForViewer(t *testing.T) {
	for _, tt := range []struct{ in, user, want string }{
		{"<@U0DANA> assigned you #11 Update · <@U0PRIYA> · due Fri", "U0PRIYA", "<@U0DANA> assigned you #11 Update · you · due Fri"},
		{"Decision #1 approved by <@U0OWNER|olga>: ok", "U0OWNER", "Decision #1 approved by you: ok"},
		{"<@U0OWNER> is now the decision owner.", "U0OWNER", "You are now the decision owner."},
		{"asked by <@U0ALICE>", "U0BOB", "asked by <@U0ALICE>"},
		{"<@U0ALICE2> and <@U0ALICE>", "U0ALICE", "<@U0ALICE2> and you"},
	} {
		if got := ForViewer(tt.in, tt.user); got != tt.want {
			t.Errorf("ForViewer(%q, %s) = %q, want %q", tt.in, tt.user, got, tt.want)
		}
	}
}
