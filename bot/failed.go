package bot

import (
	"fmt"
	"strings"

	"github.com/upgradebot/upgradebot"
)

// failedShown is how many failed messages `failed` lists, newest first.
const failedShown = 10

// failed lists the messages Slack refused for good (admins: they hold other
// people's DMs), or re-queues one or all of them.
func (c *call) failed(cmd *Command) (string, error) {
	if cmd.Scope == "retry" {
		n, err := c.b.Desk.RetryFailed(c.ctx, c.user, cmd.ID)
		if err != nil {
			return "", err
		}
		text := "No message failed in the last day, so there is nothing to send again."
		if n > 0 {
			text = fmt.Sprintf("Queued %s again; they are sent within a minute. If Slack refuses again, they come back here.",
				upgradebot.Plural(n, "message"))
		}
		if cmd.ID != 0 {
			return text, nil
		}
		counts, err := c.b.Desk.CountMessages(c.ctx)
		if err != nil {
			return "", err
		}
		if old := counts[upgradebot.MessageFailed]; old > 0 {
			text += fmt.Sprintf(" %s older than a day stay failed: they are likely out of date (`/upgrade failed` lists them; `failed retry <id>` sends one that still matters).",
				upgradebot.Plural(old, "message"))
		}
		return text, nil
	}
	if !c.settings.IsAdmin(c.user) {
		return "", upgradebot.Errorf(upgradebot.EFORBIDDEN, "Only admins can read failed messages: they hold other people's DMs.")
	}
	counts, err := c.b.Desk.CountMessages(c.ctx)
	if err != nil {
		return "", err
	}
	msgs, err := c.b.Desk.FailedMessages(c.ctx, failedShown)
	if err != nil {
		return "", err
	}
	total := counts[upgradebot.MessageFailed]
	if total == 0 {
		return "*Failed messages*: none. Every message was delivered or is still being tried.", nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "*Failed messages* (%d), newest first", total)
	for _, m := range msgs {
		fmt.Fprintf(&b, "\n• #%d %s to %s, created %s, %d attempts: `%s`", m.ID, m.Kind, failedTo(m), c.stamp(m.CreatedAt),
			m.Attempts, strings.ReplaceAll(upgradebot.Escape(upgradebot.Clip(m.LastError, 200)), "`", "'"))
	}
	if total > len(msgs) {
		fmt.Fprintf(&b, "\n…and %d more.", total-len(msgs))
	}
	b.WriteString("\nFix the cause (invite the bot to the channel, reinstall the app for a missing scope), then `/upgrade failed retry <id>` or `/upgrade failed retry all`.")
	return b.String(), nil
}

// failedTo names where a message was going: a person or a channel.
func failedTo(m *upgradebot.Message) string {
	switch {
	case upgradebot.ValidUserID(m.To):
		return upgradebot.Mention(m.To)
	case upgradebot.ValidChannelID(m.To):
		return "<#" + m.To + ">"
	}
	return "a reply"
}
