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

// Exec runs one command as user, prints the reply and then everything the
// outbox holds. It returns the reply so callers can tell a refusal.
func (c *Console) Exec(ctx context.Context, user, line string) (Reply, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	text, err := c.mentions(ctx, stripSlash(line))
	if err != nil {
		return Reply{}, err
	}
	reply := c.Bot.Handle(ctx, Request{User: user, Text: text})
	prefix := ""
	if reply.Public {
		prefix = "[shared in channel] "
	}
	fmt.Fprintln(c.Out, indent(prefix+consoleText(c.names(ctx), reply.Text)))
	_, err = c.deliver(ctx)
	return reply, err
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

// Deliver prints every pending outbox message and marks it sent.
func (c *Console) Deliver(ctx context.Context) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
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
			var where string
			switch m.Kind {
			case upgradebot.MessageHome:
				// The console has no App Home; there is nothing to show.
				if err := c.Bot.Desk.MarkSent(ctx, m.ID, "console", ""); err != nil {
					return n, fmt.Errorf("console: mark message %d sent: %w", m.ID, err)
				}
				continue
			case upgradebot.MessageDM:
				where = "DM " + consoleText(people, upgradebot.Mention(m.To))
			case upgradebot.MessagePost:
				where = "#" + m.To
				if m.Attach != "" {
					where += " " + attachNote(ctx, c.Bot.Desk, m)
				}
			case upgradebot.MessageUpdate:
				where = "update DM " + consoleText(people, upgradebot.Mention(m.To))
			default:
				where = string(m.Kind) + " " + m.To
			}
			fmt.Fprintln(c.Out, indent(fmt.Sprintf("[%s] %s", where, consoleText(people, m.FullText()))))
			if err := c.Bot.Desk.MarkSent(ctx, m.ID, "console", strconv.FormatInt(m.ID, 10)); err != nil {
				return n, fmt.Errorf("console: mark message %d sent: %w", m.ID, err)
			}
			n++
		}
	}
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
