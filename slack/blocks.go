package slack

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"
	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
)

// Slack's Block Kit limits that the renderers keep to.
const (
	maxSectionText = 3000 // characters in one section's text
	maxHeaderText  = 150  // characters in a header block
	maxMsgBlocks   = 50   // blocks in one message
	maxHomeBlocks  = 100  // blocks in a Home tab view
	// maxFallbackText bounds the top-level text sent with blocks. Slack
	// shows it only in notifications and where blocks cannot be shown, and
	// refuses more than 40,000 characters (msg_too_long).
	maxFallbackText = 3000
)

// MessageBlocks renders an outgoing message as Block Kit: its text as
// mrkdwn sections (split on line boundaries into sections of at most 3,000
// characters, at most 50 blocks), or, for a structured message (one with
// Sections, such as the digest), as SectionBlocks renders it; then its
// items, each task with its buttons (see ItemBlocks), and its footer; and,
// for a decision card (a DM with a decision id), an actions block with
// Approve, Approve with a comment and Reject, whose value is the decision
// id. An update (the outcome of a decision) has no buttons, so sending it
// with chat.update removes them from the original. Send Fallback(m) as
// the message's text alongside. A ticket ref is shown as text: see
// MessageBlocksLinked for links.
func MessageBlocks(m *upgradebot.Message) []slack.Block {
	return MessageBlocksLinked(m, "")
}

// MessageBlocksLinked is MessageBlocks with tickets linked through the
// team's ticket URL template refURL (upgradebot.SettingRefURL).
func MessageBlocksLinked(m *upgradebot.Message, refURL string) []slack.Block {
	buttons := m.Kind == upgradebot.MessageDM && m.DecisionID != 0
	room := maxMsgBlocks
	if buttons {
		room--
	}
	var blocks []slack.Block
	if len(m.Sections) > 0 {
		blocks = SectionBlocks(m, room)
	} else {
		extra := 0
		if len(m.Items) > 0 || m.Footer != "" {
			extra = min(room/2, 2*len(m.Items)+2)
		}
		blocks = TextBlocks(m.Text, room-extra)
		blocks = append(blocks, itemsBlocks(m, refURL, room-len(blocks))...)
	}
	if buttons {
		blocks = append(blocks, decisionButtons(m.DecisionID))
	}
	return blocks
}

// Fallback is the top-level text to send with m's blocks: what a
// notification shows. A message with items has them as lines (see
// upgradebot.Message.FullText); others have their Text.
func Fallback(m *upgradebot.Message) string {
	if len(m.Sections) == 0 && (len(m.Items) > 0 || m.Footer != "") {
		return FallbackText(m.FullText())
	}
	return FallbackText(m.Text)
}

// itemsBlocks renders m's items in at most room blocks, then its footer
// as small text: the items that do not fit are counted in a last line.
func itemsBlocks(m *upgradebot.Message, refURL string, room int) []slack.Block {
	var blocks []slack.Block
	if m.Footer != "" {
		room--
	}
	msg := m.ID
	if m.Kind == upgradebot.MessageUpdate {
		msg = m.UpdateOf // buttons name the message Slack shows
	}
	for i, it := range m.Items {
		bs := ItemBlocks(it, msg, refURL)
		if len(blocks)+len(bs)+1 > room && i < len(m.Items)-1 || len(blocks)+len(bs) > room {
			blocks = append(blocks, contextBlock(fmt.Sprintf("…and %d more: `/upgrade list mine`", len(m.Items)-i)))
			break
		}
		blocks = append(blocks, bs...)
	}
	if m.Footer != "" {
		blocks = append(blocks, contextBlock(m.Footer))
	}
	return blocks
}

// ItemBlocks renders a task item: a section with its title in bold and its
// details and ticket ref (a link through refURL, when set) side by side,
// then its buttons: Done, a Snooze menu (a day, a week, two weeks), a New
// date picker and Open. The actions block's id names the task and msg, the
// outbox id of the message it is in (0 on the App Home), so that a tap can
// update that message in place. A closed item shows who closed it and
// when instead, with Undo when it offers it.
func ItemBlocks(it upgradebot.Item, msg int64, refURL string) []slack.Block {
	id := strconv.FormatInt(it.Task, 10)
	blockID := ItemBlockID(it.Task, msg)
	if it.Closed != "" {
		text := it.Closed
		if it.Title != "" {
			text = "*" + it.Title + "*\n" + it.Closed
		}
		var acc *slack.Accessory
		if it.Undo {
			acc = slack.NewAccessory(slack.NewButtonBlockElement(ActionUndo, id, plainText("Undo")))
		}
		return []slack.Block{slack.NewSectionBlock(mrkdwn(text), nil, acc, slack.SectionBlockOptionBlockID(blockID))}
	}
	var text *slack.TextBlockObject
	if it.Title != "" {
		text = mrkdwn("*" + it.Title + "*")
	}
	var fields []*slack.TextBlockObject
	for _, d := range it.Details[:min(len(it.Details), 9)] {
		fields = append(fields, mrkdwn(d))
	}
	if it.Ref != "" {
		fields = append(fields, mrkdwn("ref "+upgradebot.RefLink(it.Ref, refURL)))
	}
	if text == nil && len(fields) == 0 {
		text = mrkdwn("#" + id)
	}
	done := slack.NewButtonBlockElement(ActionDone, id, plainText("Done")).WithStyle(slack.StylePrimary)
	snooze := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plainText("Snooze"), ActionSnooze,
		option(id+":1", "Snooze a day"), option(id+":7", "Snooze a week"), option(id+":14", "Snooze two weeks"))
	due := slack.NewDatePickerBlockElement(ActionNewDate)
	due.Placeholder = plainText("New date")
	open := slack.NewButtonBlockElement(ActionOpen, id, plainText("Open"))
	return []slack.Block{
		slack.NewSectionBlock(text, fields, nil),
		slack.NewActionBlock(blockID, done, snooze, due, open),
	}
}

// ItemBlockID is the block id of task's buttons in the message whose
// outbox id is msg (0: the App Home): "task_12_m340".
func ItemBlockID(task, msg int64) string {
	return fmt.Sprintf("task_%d_m%d", task, msg)
}

// parseItemBlock reads ItemBlockID back; ok is false for another block.
func parseItemBlock(blockID string) (task, msg int64, ok bool) {
	rest, found := strings.CutPrefix(blockID, "task_")
	if !found {
		return 0, 0, false
	}
	t, m, found := strings.Cut(rest, "_m")
	if !found {
		return 0, 0, false
	}
	task, err1 := strconv.ParseInt(t, 10, 64)
	msg, err2 := strconv.ParseInt(m, 10, 64)
	if err1 != nil || err2 != nil || task <= 0 || msg < 0 {
		return 0, 0, false
	}
	return task, msg, true
}

// mrkdwn is a mrkdwn text object, verbatim and SlackSafe.
func mrkdwn(text string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, upgradebot.SlackSafe(text), false, true)
}

// ReplyMessage renders the reply to a command as the body of a slash
// command response (or a response_url post): ephemeral unless the user
// asked to share it, with the text as mrkdwn sections and as the fallback.
func ReplyMessage(r bot.Reply) *slack.Msg {
	msg := &slack.Msg{ResponseType: slack.ResponseTypeEphemeral, Text: FallbackText(r.Text)}
	if r.Public {
		msg.ResponseType = slack.ResponseTypeInChannel
	}
	msg.Blocks = slack.Blocks{BlockSet: TextBlocks(r.Text, maxMsgBlocks)}
	return msg
}

// FallbackText is the top-level text sent along with blocks: Slack uses it
// for notifications and screen readers that cannot show blocks. It is the
// message's text, clipped if very long.
func FallbackText(s string) string {
	s = upgradebot.SlackSafe(s)
	if textLen(s) <= maxFallbackText {
		return s
	}
	head, _ := cutText(s, maxFallbackText-1)
	return head + "…"
}

// TextBlocks renders mrkdwn text as at most maxBlocks section blocks of at
// most 3,000 characters each, split on line boundaries where it can be (a
// longer line is split at a space). Text that needs more blocks is cut,
// ending with "…". The sections are verbatim: Slack does not turn words like
// @channel or bare URLs in user-typed text into mentions or links; the
// <@U…> mentions the bot writes still work.
func TextBlocks(text string, maxBlocks int) []slack.Block {
	parts := splitText(upgradebot.SlackSafe(text), maxSectionText)
	if len(parts) > maxBlocks {
		parts = parts[:maxBlocks]
		last := parts[maxBlocks-1]
		if textLen(last) >= maxSectionText {
			last, _ = cutText(last, maxSectionText-1)
		}
		parts[maxBlocks-1] = last + "…"
	}
	blocks := make([]slack.Block, 0, len(parts))
	for _, p := range parts {
		blocks = append(blocks, mrkdwnSection(p))
	}
	return blocks
}

// SectionBlocks renders a structured message in at most maxBlocks blocks: a
// header block with the first line of its Text (the digest's summary), then
// for each section, after a divider, a section block with its title in
// bold and as many of its lines as fit in 3,000 characters, and a context
// block with its "…and N more" line. Lines are never cut: those that do
// not fit are left out whole and added to N. If the sections need more
// blocks than there are, the last block says how many sections were left
// out.
func SectionBlocks(m *upgradebot.Message, maxBlocks int) []slack.Block {
	var blocks []slack.Block
	if h := strings.Trim(m.Header(), "* "); h != "" && maxBlocks > 1 {
		if textLen(h) > maxHeaderText {
			h, _ = cutText(h, maxHeaderText-1)
			h += "…"
		}
		blocks = append(blocks, slack.NewHeaderBlock(plainText(h)))
	}
	for i, s := range m.Sections {
		bs := sectionBlocks(s)
		if len(bs) > 0 && len(blocks) > 0 {
			bs = append([]slack.Block{slack.NewDividerBlock()}, bs...)
		}
		need := len(bs)
		if i < len(m.Sections)-1 {
			need++ // keep room to say what is left out
		}
		if len(blocks)+need > maxBlocks {
			if len(blocks) < maxBlocks {
				left := "…and 1 more section."
				if n := len(m.Sections) - i; n > 1 {
					left = fmt.Sprintf("…and %d more sections.", n)
				}
				blocks = append(blocks, contextBlock(left))
			}
			break
		}
		blocks = append(blocks, bs...)
	}
	return blocks
}

// sectionBlocks renders one section: its title and the lines that fit in
// one section block, then its "…and N more" (counting the lines that did
// not fit) as a context block.
func sectionBlocks(s upgradebot.Section) []slack.Block {
	var text strings.Builder
	n := 0
	if s.Title != "" {
		title, _ := cutText("*"+upgradebot.SlackSafe(s.Title), maxSectionText-1)
		text.WriteString(title + "*")
		n = textLen(title) + 1
	}
	for i, line := range s.Lines {
		line = upgradebot.SlackSafe(line)
		w := textLen(line)
		if text.Len() > 0 {
			w++ // the newline before it
		}
		if n+w > maxSectionText {
			s.More += len(s.Lines) - i
			break
		}
		if text.Len() > 0 {
			text.WriteByte('\n')
		}
		text.WriteString(line)
		n += w
	}
	var blocks []slack.Block
	if strings.TrimSpace(text.String()) != "" {
		blocks = append(blocks, mrkdwnSection(text.String()))
	}
	if more := s.MoreLine(); more != "" {
		blocks = append(blocks, contextBlock(more))
	}
	return blocks
}

// contextBlock is a line of small mrkdwn text, made SlackSafe.
func contextBlock(text string) *slack.ContextBlock {
	return slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, upgradebot.SlackSafe(text), false, true))
}

// mrkdwnSection is a section of mrkdwn text, verbatim but SlackSafe (see
// TextBlocks): every mrkdwn text the adapter sends goes through one of
// these, or TextBlocks, SectionBlocks and FallbackText, which make it
// SlackSafe first.
func mrkdwnSection(text string) *slack.SectionBlock {
	return slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, upgradebot.SlackSafe(text), false, true), nil, nil)
}

// plainText is a plain_text object, as buttons and headers need.
func plainText(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
}

// decisionButtons is the actions block of a decision card: Approve
// (primary, with a confirmation), Approve with a comment (opens a small
// form for it) and Reject (danger; opens the reason form, which restates
// the question). Each carries the decision id as its value.
func decisionButtons(id int64) *slack.ActionBlock {
	v := strconv.FormatInt(id, 10)
	confirm := slack.NewConfirmationBlockObject(plainText("Approve decision #"+v+"?"),
		slack.NewTextBlockObject(slack.MarkdownType, "Your approval is recorded in the audit trail and the requester is told.", false, true),
		plainText("Approve"), plainText("Cancel"))
	approve := slack.NewButtonBlockElement(ActionApprove, v, plainText("Approve")).
		WithStyle(slack.StylePrimary).WithConfirm(confirm)
	comment := slack.NewButtonBlockElement(ActionApproveComment, v, plainText("Approve with a comment"))
	reject := slack.NewButtonBlockElement(ActionReject, v, plainText("Reject")).WithStyle(slack.StyleDanger)
	return slack.NewActionBlock("decision_"+v, approve, comment, reject)
}

// textLen is the length of s as Slack counts it (UTF-16 code units), so a
// limit of 3,000 characters holds for emoji and other astral characters.
func textLen(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// cutText splits s after at most max characters (by textLen), on a rune
// boundary: head is the longest such prefix, tail the rest.
func cutText(s string, max int) (head, tail string) {
	n := 0
	for i, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if n+w > max {
			return s[:i], s[i:]
		}
		n += w
	}
	return s, ""
}

// splitText splits mrkdwn text into parts of at most max characters,
// joining whole lines while they fit. A line longer than max is split at
// its last space that fits, or else at a character, never inside an
// escape like &amp; or <@U123>. Blank lines at the edge of a part are
// dropped; empty text gives no parts.
func splitText(text string, max int) []string {
	var parts []string
	var cur strings.Builder
	curLen := 0
	flush := func() {
		if s := strings.Trim(cur.String(), "\n"); strings.TrimSpace(s) != "" {
			parts = append(parts, s)
		}
		cur.Reset()
		curLen = 0
	}
	add := func(line string) {
		n := textLen(line)
		if cur.Len() > 0 && curLen+1+n > max {
			flush()
		}
		if cur.Len() > 0 {
			cur.WriteByte('\n')
			curLen++
		}
		cur.WriteString(line)
		curLen += n
	}
	for line := range strings.SplitSeq(text, "\n") {
		for textLen(line) > max {
			head, tail := splitLine(line, max)
			add(head)
			flush()
			line = tail
		}
		add(line)
	}
	flush()
	return parts
}

// splitLine cuts a line longer than max into a head of at most max
// characters and the rest, preferring the last space in the second half of
// the head and never cutting inside an &…; or <…> escape.
func splitLine(line string, max int) (head, tail string) {
	head, _ = cutText(line, max)
	cut := len(head)
	if i := strings.LastIndexByte(head, ' '); i > len(head)/2 {
		return line[:i], line[i+1:]
	}
	if i := strings.LastIndexAny(head, "&<"); i > 0 && !strings.ContainsAny(head[i:], ";>") {
		cut = i
	}
	if cut == 0 { // cannot happen for max ≥ 1, but never loop forever
		_, w := utf8.DecodeRuneInString(line)
		cut = w
	}
	return line[:cut], line[cut:]
}
