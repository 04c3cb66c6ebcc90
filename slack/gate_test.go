package slack_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot/bot"
	slackapp "github.com/upgradebot/upgradebot/slack"
)

// TestPhaseGateApproveButton approves a gate with the button on its DM,
// through the signed HTTP endpoint: the phase is closed and the DM updated.
func TestPhaseGateApproveButton(t *testing.T) {
	api := newSlackAPI(t)
	e := newSlackEnv(t, api)
	for _, req := range []bot.Request{
		{User: admin, Text: "owner <@U0OWNER>"},
		{User: alice, Text: "release add MedCore 2027.1 ga:2026-10-01"},
		{User: alice, Text: "release medcore-2027.1 phase build start 2026-11-02"},
	} {
		if r := e.slack.Bot.Handle(context.Background(), req); r.Failed {
			t.Fatal(r.Text)
		}
	}
	e.deliver(t)

	msg := e.command(t, alice, "release medcore-2027.1 phase build done 2026-11-30")
	if !strings.Contains(msg.Text, "Asked <@U0OWNER> to approve closing the build phase of `medcore-2027.1` (decision #1)") {
		t.Fatalf("reply %q", msg.Text)
	}
	e.deliver(t)
	posts := api.Calls("chat.postMessage")
	if len(posts) == 0 {
		t.Fatal("the gate request was not posted")
	}
	request := posts[len(posts)-1]
	// Issue 15: Approve, Approve with a comment, Reject.
	if got := buttons(blocks(t, request)); len(got) != 3 || got[0].ActionID != slackapp.ActionApprove || got[0].Value != "1" {
		t.Fatalf("gate request buttons %v, want Approve, Approve with a comment and Reject for #1", got)
	}

	w := e.post(t, "/slack/interactive", clickBody(t, owner, slackapp.ActionApprove, "1", e.responseURL()))
	if w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Fatalf("approve click: %d %q", w.Code, w.Body)
	}
	if d := decision(t, e, 1); d.Status != "approved" || d.DecidedBy != owner {
		t.Errorf("after the click: %+v", d)
	}
	ps, err := e.db.FindPhases(context.Background(), "medcore-2027.1")
	if err != nil || len(ps) != 1 || ps[0].End.String() != "2026-11-30" || ps[0].UpdatedBy != owner {
		t.Fatalf("phases %+v, %v: want build done on 30 Nov by the owner", ps, err)
	}

	e.clock.Advance(time.Second)
	e.deliver(t)
	ups := api.Calls("chat.update")
	if len(ups) != 1 {
		t.Fatalf("chat.update calls: %d, want the request DM updated", len(ups))
	}
	bs := blocks(t, ups[0])
	if got := buttons(bs); len(got) != 0 {
		t.Errorf("the updated gate still has buttons: %v", got)
	}
	if s := texts(bs); !strings.Contains(s, "✅ Approved by you, 09:00") || // the owner reads their DM: no self-mention; issue 15: ✅ and the time
		!strings.Contains(s, "The build phase of `medcore-2027.1` is recorded done on Mon 30 Nov 2026.") {
		t.Errorf("updated DM: %q", s)
	}
}
