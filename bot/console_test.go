package bot_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
)

// TestConsoleLiveDesk: on a console-only desk the console prints every
// message and marks it sent; once serve has run on the desk it leaves every
// message pending for Slack, shows only what its own command queued, and
// says so when it starts.
func TestConsoleLiveDesk(t *testing.T) {
	ctx := context.Background()
	b, db, _ := newBot(t)
	var out bytes.Buffer
	c := &bot.Console{Bot: b, User: admin, Out: &out}
	pending := func() []*upgradebot.Message {
		t.Helper()
		msgs, err := db.PendingMessages(ctx, start.AddDate(1, 0, 0), 0)
		if err != nil {
			t.Fatal(err)
		}
		var dms []*upgradebot.Message
		for _, m := range msgs {
			if m.Kind != upgradebot.MessageHome {
				dms = append(dms, m)
			}
		}
		return dms
	}

	// Console-only: printed and settled.
	if _, err := c.Exec(ctx, admin, "add First task @alice"); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.Contains(got, "\n[DM @alice] ") || strings.Contains(got, "queued for Slack") {
		t.Errorf("console-only desk:\n%s", got)
	}
	if p := pending(); len(p) != 0 {
		t.Errorf("console-only desk: %d messages left pending, want none", len(p))
	}

	// Live: a message someone else queued is neither printed nor settled.
	if err := db.RecordServe(ctx); err != nil {
		t.Fatal(err)
	}
	other := upgradebot.Message{Kind: upgradebot.MessageDM, To: bob, Text: "Queued by serve"}
	if err := db.QueueMessages(ctx, []upgradebot.Message{other}); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	c.In = strings.NewReader("add Second task @alice\n")
	if err := c.Run(ctx); err != nil {
		t.Fatal(err)
	}
	want := bot.LiveNotice + "\n@ann> add Second task @alice\nAdded #2 Second task · @alice"
	if got := out.String(); !strings.HasPrefix(got, want) || !strings.Contains(got, "\n[queued for Slack: DM @alice] ") ||
		strings.Contains(got, "Queued by serve") || strings.Contains(got, "[DM ") {
		t.Errorf("live desk: got\n%s\nwant it to start with\n%s\nand show only the DM it queued, as queued for Slack", got, want)
	}
	p := pending()
	if len(p) != 2 || p[0].Text != "Queued by serve" || p[1].To != alice || !strings.Contains(p[1].Text, "Second task") {
		t.Errorf("live desk: pending %+v, want serve's DM and the new one, both left for Slack", p)
	}
	out.Reset()
	if n, err := c.Deliver(ctx); err != nil || n != 0 || out.Len() != 0 || len(pending()) != 2 {
		t.Errorf("Deliver on a live desk: %d, %v, printed %q; want nothing done", n, err, out.String())
	}
}
