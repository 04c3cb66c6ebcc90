package bot

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/upgradebot/upgradebot"
)

// Console runs the bot in a terminal, without Slack. It reads /upgrade lines
// as a Slack user would type them, prints each reply as text, and delivers
// the outbox by printing every message the bot would send elsewhere:
//
//	[DM @alex] …        a direct message
//	[#C0UPGRADES] …     a post in a channel
//	[update DM @dana] … an earlier message edited in place
//
// That is on a console-only desk. Once serve has run on the desk
// (LiveService), the messages are Slack's to deliver: the console never
// marks one sent, prints nothing it did not queue, and shows what each
// command queued as it will go out:
//
//	[queued for Slack: DM @alex] …
//
// Console lines may also be ":as @name" (switch user), ":who", ":help" and
// ":quit"; a command may be prefixed with "--as @name" to run it once as
// someone else. "@name" is turned into the mention Slack would send.
type Console struct {
	Bot    *Bot
	User   string // who is typing; commands run with this user's rights
	In     io.Reader
	Out    io.Writer
	Prompt bool // print a prompt before each line (interactive use)

	// mu keeps a reply and the messages it caused together on Out when
	// scheduled posts are delivered from another goroutine.
	mu sync.Mutex
}

// Run reads lines until EOF or :quit.
func (c *Console) Run(ctx context.Context) error {
	live, err := c.live(ctx)
	if err != nil {
		return err
	}
	if live {
		fmt.Fprintln(c.Out, LiveNotice)
	}
	if _, err := c.Deliver(ctx); err != nil {
		return err
	}
	sc := bufio.NewScanner(c.In)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for {
		if c.Prompt {
			fmt.Fprintf(c.Out, "%s> ", consoleText(c.names(ctx), upgradebot.Mention(c.User)))
		}
		if !sc.Scan() {
			return sc.Err()
		}
		if err := ctx.Err(); err != nil {
			return nil
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !c.Prompt {
			fmt.Fprintf(c.Out, "%s> %s\n", consoleText(c.names(ctx), upgradebot.Mention(c.User)), line)
		}
		if quit := c.line(ctx, line); quit {
			return nil
		}
	}
}

// line handles one console line and reports whether to stop.
func (c *Console) line(ctx context.Context, line string) bool {
	switch word, arg, _ := strings.Cut(line, " "); word {
	case ":quit", ":q", ":exit":
		return true
	case ":help":
		fmt.Fprintln(c.Out, "Type /upgrade commands as in Slack (the /upgrade is optional): /upgrade help.\n"+
			":as @name   act as someone else (their rights apply)\n--as @name <command>   run one command as someone else\n:who   who you are\n:quit   leave")
		return false
	case ":who":
		fmt.Fprintf(c.Out, "You are %s.\n", consoleText(c.names(ctx), upgradebot.Mention(c.User)))
		return false
	case ":as":
		id, err := c.resolve(ctx, strings.TrimSpace(arg))
		if err != nil {
			fmt.Fprintln(c.Out, err)
			return false
		}
		c.User = id
		fmt.Fprintf(c.Out, "You are now %s.\n", consoleText(c.names(ctx), upgradebot.Mention(id)))
		return false
	}
	user := c.User
	if rest, ok := strings.CutPrefix(line, "--as "); ok {
		who, cmd, _ := strings.Cut(strings.TrimSpace(rest), " ")
		id, err := c.resolve(ctx, who)
		if err != nil {
			fmt.Fprintln(c.Out, err)
			return false
		}
		user, line = id, cmd
	}
	if _, err := c.Exec(ctx, user, line); err != nil {
		fmt.Fprintln(c.Out, "error:", err)
	}
	return false
}

// LiveNotice is what the console says first on a desk serve has run on.
const LiveNotice = "This desk is live on Slack (serve has run on it): its messages are left for Slack, and the console shows what each command queued."

// Exec runs one command as user and prints the reply. On a console-only
// desk it then prints everything the outbox holds and marks it sent; on a
// live desk it prints only the messages the command queued and leaves them
// for Slack. It returns the reply so callers can tell a refusal.
func (c *Console) Exec(ctx context.Context, user, line string) (Reply, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	text, err := c.mentions(ctx, stripSlash(line))
	if err != nil {
		return Reply{}, err
	}
	live, err := c.live(ctx)
	if err != nil {
		return Reply{}, err
	}
	var mark int64
	if live {
		if mark, err = c.Bot.Desk.LastMessageID(ctx); err != nil {
			return Reply{}, fmt.Errorf("console: read outbox: %w", err)
		}
	}
	reply := c.Bot.Handle(ctx, Request{User: user, Text: text})
	prefix := ""
	if reply.Public {
		prefix = "[shared in channel] "
	}
	fmt.Fprintln(c.Out, indent(prefix+consoleText(c.names(ctx), reply.Text)))
	if live {
		return reply, c.showQueued(ctx, mark)
	}
	_, err = c.deliver(ctx)
	return reply, err
}

// live reports whether serve has run on the desk, making its messages
// Slack's to deliver.
func (c *Console) live(ctx context.Context) (bool, error) {
	since, err := c.Bot.Desk.ServedSince(ctx)
	if err != nil {
		return false, fmt.Errorf("console: %w", err)
	}
	return !since.IsZero(), nil
}

// showQueued prints the messages queued after the outbox id mark (App Home
// refreshes aside) as they will go to Slack, and leaves them pending.
func (c *Console) showQueued(ctx context.Context, mark int64) error {
	last, err := c.Bot.Desk.LastMessageID(ctx)
	if err != nil {
		return fmt.Errorf("console: read outbox: %w", err)
	}
	people := c.names(ctx)
	for id := mark + 1; id <= last; id++ {
		m, err := c.Bot.Desk.FindMessage(ctx, id)
		if upgradebot.ErrorCode(err) == upgradebot.ENOTFOUND {
			continue
		} else if err != nil {
			return fmt.Errorf("console: read outbox: %w", err)
		}
		if m.Kind == upgradebot.MessageHome {
			continue
		}
		fmt.Fprintln(c.Out, indent(fmt.Sprintf("[queued for Slack: %s] %s", c.where(ctx, people, m), consoleText(people, m.FullText()))))
	}
	return nil
}

// stripSlash removes a leading "/upgrade" (or "upgrade").
func stripSlash(line string) string {
	for _, p := range []string{"/upgrade", "upgrade"} {
		if rest, ok := strings.CutPrefix(line, p); ok && (rest == "" || rest[0] == ' ') {
			return strings.TrimSpace(rest)
		}
	}
	return line
}

// Deliver prints every pending outbox message and marks it sent, on a
// console-only desk; on a live one it does nothing (Slack delivers them).
func (c *Console) Deliver(ctx context.Context) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if live, err := c.live(ctx); err != nil || live {
		return 0, err
	}
	return c.deliver(ctx)
}

// Say prints a line of the console's own (a simulated day starting, say)
// between replies.
func (c *Console) Say(line string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintln(c.Out, line)
}

func (c *Console) deliver(ctx context.Context) (int, error) {
	n := 0
	for {
		msgs, err := c.Bot.Desk.PendingMessages(ctx, c.Bot.Clock.Now(), 100)
		if err != nil {
			return n, fmt.Errorf("console: read outbox: %w", err)
		}
		if len(msgs) == 0 {
			return n, nil
		}
		people := c.names(ctx)
		for _, m := range msgs {
			if m.Kind == upgradebot.MessageHome {
				// The console has no App Home; there is nothing to show.
				if err := c.Bot.Desk.MarkSent(ctx, m.ID, "console", ""); err != nil {
					return n, fmt.Errorf("console: mark message %d sent: %w", m.ID, err)
				}
				continue
			}
			fmt.Fprintln(c.Out, indent(fmt.Sprintf("[%s] %s", c.where(ctx, people, m), consoleText(people, m.FullText()))))
			if err := c.Bot.Desk.MarkSent(ctx, m.ID, "console", strconv.FormatInt(m.ID, 10)); err != nil {
				return n, fmt.Errorf("console: mark message %d sent: %w", m.ID, err)
			}
			n++
		}
	}
}

// where says where m goes: "DM @alex", "#C0UPGRADES", "update DM @dana".
func (c *Console) where(ctx context.Context, people map[string]string, m *upgradebot.Message) string {
	switch m.Kind {
	case upgradebot.MessageDM:
		return "DM " + consoleText(people, upgradebot.Mention(m.To))
	case upgradebot.MessagePost:
		if m.Attach != "" {
			return "#" + m.To + " " + attachNote(ctx, c.Bot.Desk, m)
		}
		return "#" + m.To
	case upgradebot.MessageUpdate:
		return "update DM " + consoleText(people, upgradebot.Mention(m.To))
	}
	return string(m.Kind) + " " + m.To
}

// indent puts continuation lines of a multi-line reply under the first.
func indent(s string) string { return strings.ReplaceAll(s, "\n", "\n  ") }

var (
	mentionRE  = regexp.MustCompile(`<@([UW][A-Z0-9]+)(?:\|[^>]*)?>`)
	channelRE  = regexp.MustCompile(`<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>`)
	atNameRE   = regexp.MustCompile(`(^|[\s:])@([A-Za-z0-9._-]+)`)
	unescapeMD = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")
)

// names returns display names by user id; without them mentions show ids.
func (c *Console) names(ctx context.Context) map[string]string {
	people, _ := c.Bot.Desk.People(ctx)
	return people
}

// consoleText turns mrkdwn into console text: mentions become @name, channel
// links #name (or #id).
func consoleText(people map[string]string, s string) string {
	s = mentionRE.ReplaceAllStringFunc(s, func(m string) string {
		id := mentionRE.FindStringSubmatch(m)[1]
		if name := people[id]; name != "" {
			return "@" + name
		}
		return "@" + id
	})
	s = channelRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := channelRE.FindStringSubmatch(m)
		if sub[2] != "" {
			return "#" + sub[2]
		}
		return "#" + sub[1]
	})
	return unescapeMD.Replace(s)
}

// mentions turns "@name" (a known person) or "@U123" into the escape Slack
// sends for a picked mention, as Slack's client would.
func (c *Console) mentions(ctx context.Context, s string) (string, error) {
	people, err := c.Bot.Desk.People(ctx)
	if err != nil {
		return "", fmt.Errorf("console: read people: %w", err)
	}
	return atNameRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := atNameRE.FindStringSubmatch(m)
		if id := lookupPerson(people, sub[2]); id != "" {
			return sub[1] + "<@" + id + "|" + people[id] + ">"
		}
		if upgradebot.ValidUserID(sub[2]) {
			return sub[1] + "<@" + sub[2] + ">"
		}
		return m
	}), nil
}

func lookupPerson(people map[string]string, name string) string {
	for id, n := range people {
		if strings.EqualFold(n, name) || id == name {
			return id
		}
	}
	return ""
}

// resolve reads a user for :as: @name, name, or a user id.
func (c *Console) resolve(ctx context.Context, who string) (string, error) {
	who = strings.TrimPrefix(strings.TrimSuffix(strings.TrimPrefix(who, "<@"), ">"), "@")
	who, _, _ = strings.Cut(who, "|")
	people, err := c.Bot.Desk.People(ctx)
	if err != nil {
		return "", fmt.Errorf("console: read people: %w", err)
	}
	if id := lookupPerson(people, who); id != "" {
		return id, nil
	}
	if upgradebot.ValidUserID(who) {
		return who, nil
	}
	return "", fmt.Errorf("who is %q? Use a Slack user id like U0123ABCD or the name of someone the bot knows", who)
}
