package upgradebot

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// MessageKind says how an outgoing message is delivered.
type MessageKind string

// Message kinds.
const (
	MessageDM     MessageKind = "dm"     // a direct message to a user
	MessagePost   MessageKind = "post"   // a post in a channel
	MessageUpdate MessageKind = "update" // an edit of an earlier message in place
	MessageHome   MessageKind = "home"   // a refresh of user To's App Home, built at delivery
	// MessageResponse is a late, ephemeral reply to a slash command or a
	// button click, posted to Slack's response_url (To).
	MessageResponse MessageKind = "response"
)

// AttachChart attaches the weekly chart to a post: open work and releases
// behind over the TrendWeeks weeks ending at the message's CreatedAt (so a
// retry draws the same weeks), in the team's zone, rendered as a PNG when the
// message is delivered and uploaded with Text as its comment.
const AttachChart = "chart"

// WeeklyChartMessage is the channel post that carries the weekly chart.
func WeeklyChartMessage(channel string) Message {
	return Message{Kind: MessagePost, To: channel, Attach: AttachChart,
		Text: fmt.Sprintf("Weekly chart: open work and releases behind, last %d weeks", TrendWeeks)}
}

// ChannelKey names the Slack channel whose rate limit, about one message a
// second, the message counts against: the channel of a post, the person of
// a DM (standing for the DM channel) and the original's To for an update.
// App Home refreshes and responses are not messages in a channel: "".
func (m *Message) ChannelKey() string {
	switch m.Kind {
	case MessageDM, MessagePost, MessageUpdate:
		return m.To
	}
	return ""
}

// MessageStatus is where a message is in the outbox.
type MessageStatus string

// Message statuses.
const (
	MessagePending MessageStatus = "pending"
	MessageSent    MessageStatus = "sent"
	MessageFailed  MessageStatus = "failed" // failed for good; shown to admins
)

// Message is something the bot must say outside the reply to a command. It
// is written to the outbox in the same transaction as the change that caused
// it, and delivered afterwards by the console or by Slack.
//
// Text uses Slack's mrkdwn with user mentions as <@U…>; renderers turn it into
// Block Kit or console text.
type Message struct {
	ID   int64       `json:"id"`
	Kind MessageKind `json:"kind"`
	To   string      `json:"to"` // user id (dm) or channel id (post); for update, the original's To
	Text string      `json:"text"`
	// DecisionID, when set on a DM, makes it a decision card: a request
	// (or a reminder, or an escalation) with Approve / Reject buttons,
	// recorded so that every card of the decision is updated in place when
	// it is decided, withdrawn or re-routed; on an update it shows the
	// outcome, without buttons.
	DecisionID int64 `json:"decision_id,omitempty"`
	// ThreadOf, when set on a DM or a post, is the outbox id of the message
	// it replies to in a thread (a decision's reminder replies to its
	// request). It goes to the top level when that message could not be
	// sent or went to someone else.
	ThreadOf int64 `json:"thread_of,omitempty"`
	// Items, when set, are tasks the message lists after its text, each
	// with the buttons to act on it (Done, Snooze, New date, Open); Footer
	// is a small line after them.
	Items  []Item `json:"items,omitempty"`
	Footer string `json:"footer,omitempty"`
	// UpdateOf is the outbox id of the message an update edits.
	UpdateOf int64 `json:"update_of,omitempty"`
	// Sections, when set, make the message structured (the channel
	// digest): Text's first line is then its header, all of Text the short
	// plain fallback Slack shows in notifications, and each section is
	// rendered on its own (see FullText).
	Sections []Section `json:"sections,omitempty"`
	// Attach, when set on a post, is something drawn at delivery and sent
	// with the message, Text being its comment: AttachChart.
	Attach string `json:"attach,omitempty"`

	Status    MessageStatus `json:"status"`
	Attempts  int           `json:"attempts"`
	NextTry   time.Time     `json:"next_try"`
	LastError string        `json:"last_error,omitempty"`
	CreatedAt time.Time     `json:"created_at"`
	SentAt    time.Time     `json:"sent_at,omitzero"`
	// Where Slack put it, recorded on delivery so updates can find it. A
	// post with an attachment is a shared file, which has no ts: SlackTS is
	// then the file's id (F…), and it cannot be updated.
	SlackChannel string `json:"slack_channel,omitempty"`
	SlackTS      string `json:"slack_ts,omitempty"`
}

// Section is one titled list of a structured message. Its lines are whole
// mrkdwn lines that renderers never cut: one that runs out of room leaves
// out whole lines from the end and counts them in More.
type Section struct {
	Title string   `json:"title,omitempty"` // a few plain words, shown bold; "" for an untitled section
	Lines []string `json:"lines,omitempty"`
	More  int      `json:"more,omitempty"` // items not listed: "…and N more"
	Hint  string   `json:"hint,omitempty"` // mrkdwn after "…and N more", such as the command that lists them all
}

// MoreLine is the section's "…and N more" line (with its hint), or "" when
// nothing was left out.
func (s Section) MoreLine() string {
	if s.More <= 0 {
		return ""
	}
	line := fmt.Sprintf("…and %d more", s.More)
	if s.Hint != "" {
		line += ": " + s.Hint
	}
	return line
}

// Header is the first line of the message's text: the header of a
// structured message.
func (m *Message) Header() string {
	h, _, _ := strings.Cut(m.Text, "\n")
	return strings.TrimSpace(h)
}

// FullText is the whole message as mrkdwn text, for places that show text
// rather than Block Kit (the console, a command's reply, the notification
// of a message with items): Text for a plain message, followed by a line
// for each of its items and its footer; for a structured one its header in
// bold, then each section's title in bold, its lines and its "…and N more"
// line.
func (m *Message) FullText() string {
	if len(m.Sections) == 0 {
		if len(m.Items) == 0 && m.Footer == "" {
			return m.Text
		}
		lines := []string{m.Text}
		for _, it := range m.Items {
			lines = append(lines, "• "+it.Line())
		}
		if m.Footer != "" {
			lines = append(lines, m.Footer)
		}
		return strings.Join(lines, "\n")
	}
	var lines []string
	if h := m.Header(); h != "" {
		lines = append(lines, "*"+h+"*")
	}
	for _, s := range m.Sections {
		if s.Title != "" {
			lines = append(lines, "*"+s.Title+"*")
		}
		lines = append(lines, s.Lines...)
		if more := s.MoreLine(); more != "" {
			lines = append(lines, more)
		}
	}
	return strings.Join(lines, "\n")
}

// Clip shortens s to its first n characters followed by "…", for quoting
// what someone typed back to them.
func Clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// Sentence ends s with a full stop unless it already ends with punctuation.
func Sentence(s string) string {
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "!") {
		return s
	}
	return s + "."
}

// UpperFirst capitalises the first letter of an ASCII-led string.
func UpperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Quote is user-typed text as a mrkdwn block quote: escaped, and every line
// quoted, so a line of a question can never pass for the bot's own text.
func Quote(s string) string {
	return ">" + strings.ReplaceAll(Escape(s), "\n", "\n>")
}

// slackToken matches the inside of the angle brackets Slack reads as its
// own syntax: user, channel and user-group mentions, dates, and links.
var slackToken = regexp.MustCompile(`^(?:@[UW][A-Z0-9]+|#[CG][A-Z0-9]+|!subteam\^[A-Z0-9]+|!date\^[^<>|]+|(?:https?|mailto):[^<>|\s]+)(?:\|[^<>]*)?$`)

// SlackSafe makes mrkdwn safe to send as is: every <, > and & that is not
// part of Slack's own syntax is escaped (so "`/upgrade reject 3 <reason>`"
// shows its <reason> instead of a broken link), while mentions, links,
// entities already escaped and the > that starts a quoted line stay. It is
// idempotent, so a text may pass through it twice.
func SlackSafe(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '<':
			if j := strings.IndexAny(s[i+1:], "<>\n"); j >= 0 && s[i+1+j] == '>' && slackToken.MatchString(s[i+1:i+1+j]) {
				b.WriteString(s[i : i+2+j])
				i += 1 + j
				continue
			}
			b.WriteString("&lt;")
		case '>':
			if i == 0 || s[i-1] == '\n' {
				b.WriteByte(c) // a quoted line
				continue
			}
			b.WriteString("&gt;")
		case '&':
			rest := s[i:]
			if strings.HasPrefix(rest, "&amp;") || strings.HasPrefix(rest, "&lt;") || strings.HasPrefix(rest, "&gt;") {
				b.WriteByte(c)
				continue
			}
			b.WriteString("&amp;")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// ForViewer is text as user reads it: their own mention becomes "you"
// (nobody is shown a mention of themselves, which reads oddly and lights up
// every line of their own App Home). "you is" and "you has" read "you
// are", "you have".
func ForViewer(text, user string) string {
	if !ValidUserID(user) || !strings.Contains(text, "<@"+user) {
		return text
	}
	re := regexp.MustCompile(`<@` + user + `(?:\|[^<>]*)?>`)
	text = youAre.Replace(re.ReplaceAllString(text, "you"))
	if rest, ok := strings.CutPrefix(text, "you "); ok {
		text = "You " + rest
	}
	return text
}

var youAre = strings.NewReplacer("you is ", "you are ", "you has ", "you have ", "\nyou ", "\nYou ")

// Escape makes user-typed text safe to put in a Slack mrkdwn message: it
// escapes the three characters Slack asks for, so a title cannot ping
// @channel or forge a mention.
func Escape(s string) string {
	return mrkdwnEscaper.Replace(s)
}

var mrkdwnEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// HomeMessage asks for user's App Home to be rebuilt and published. Pending
// refreshes for one user are folded into one.
func HomeMessage(user string) Message {
	return Message{Kind: MessageHome, To: user}
}

// Mention formats a user id as a Slack mention.
func Mention(user string) string {
	if user == "" {
		return "nobody"
	}
	return "<@" + user + ">"
}

// TaskLine is the one-line form of a task used in lists and notices.
func TaskLine(t *Task, today Date) string {
	s := fmt.Sprintf("#%d %s", t.ID, Escape(t.Title))
	if t.Assignee != "" {
		s += " · " + Mention(t.Assignee)
	} else {
		s += " · unassigned"
	}
	if !t.Due.IsZero() {
		s += " · due " + t.Due.Relative(today)
		if t.Overdue(today) {
			s += " (*" + Plural(t.Due.DaysUntil(today), "day") + " overdue*)"
		}
	}
	if t.Priority == PriorityHigh {
		s += " · high"
	}
	if t.Release != "" {
		s += " · " + Escape(t.Release)
	}
	if t.Phase != "" {
		s += " · " + string(t.Phase)
	}
	if t.Site != "" {
		s += " · site:" + t.Site
	}
	if t.Estimate > 0 {
		s += " · est " + FormatEffort(t.Estimate)
	}
	if t.Status != StatusOpen {
		s += " · " + string(t.Status)
	}
	return s
}

// AssignedMessage tells a person a task was assigned to them by someone
// else: the task's number and title, then its details (due date, ticket
// ref, …) with the buttons to act on it.
func AssignedMessage(t *Task, by string, today Date) Message {
	return Message{Kind: MessageDM, To: t.Assignee,
		Text:  fmt.Sprintf("%s assigned you #%d %s", Mention(by), t.ID, Escape(t.Title)),
		Items: []Item{untitled(TaskItem(t, today))}}
}
