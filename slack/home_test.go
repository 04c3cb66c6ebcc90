package slack_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot/bot"
	slackapp "github.com/upgradebot/upgradebot/slack"
)

// TestHomeStartPage is issue 15's App Home as the start page, for an
// owner, a requester and a member with no tasks: the team strip (overdue
// work across the team, the release in progress and its phase, the next
// freeze) with the Add button, one's work with its buttons, the decisions
// waiting on one, the decisions one asked for and how long they waited;
// titles in bold, details in fields.
func TestHomeStartPage(t *testing.T) {
	b, _, clock := newBot(t)
	ctx := context.Background()
	for _, step := range []bot.Request{
		{User: admin, Text: "owner <@U0OWNER|olga>"},
		{User: admin, Text: "release add MedCore 2026.4 ga:2026-10-15"},
		{User: admin, Text: "release medcore-2026.4 phase review start 2026-10-19"},
		{User: owner, Text: "release medcore-2026.4 phase review done 2026-11-02"},
		{User: admin, Text: "release medcore-2026.4 phase build start 2026-11-02"},
		{User: admin, Text: "release add MedCore 2027.1 ga:2027-01-20"},
		{User: admin, Text: "freeze 2026-12-14..2026-12-20 go-live"},
		{User: admin, Text: "add Regression-test the lab result interfaces <@U0DELEG|dev> due:2026-11-20 ref:CHG0031044"},
		{User: admin, Text: "add Plan go-live staffing <@U0OWNER|olga> due:2026-11-25"},
		{User: alice, Text: "decide Skip medcore-2026q3 and consolidate into one go-live? due:2026-11-27"},
	} {
		if r := b.Handle(ctx, step); r.Failed {
			t.Fatalf("%s: %s", step.Text, r.Text)
		}
	}
	clock.Advance(4 * 24 * time.Hour) // Monday 30 November
	view := func(user string) (string, []button, []map[string]any) {
		t.Helper()
		h, err := b.Home(ctx, user)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := json.Marshal(slackapp.HomeView(h))
		if err != nil {
			t.Fatal(err)
		}
		var v struct{ Blocks []map[string]any }
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
		var all []any
		for _, bl := range v.Blocks {
			all = append(all, bl)
		}
		if len(v.Blocks) > 100 {
			t.Errorf("%s: %d blocks", user, len(v.Blocks))
		}
		return texts(all), buttons(all), v.Blocks
	}
	strip := "*Team:* *2 overdue* (`/upgrade list overdue`) · `medcore-2026.4` in *build* since Mon 2 Nov · Next freeze: go-live freeze in 14 days, Mon 14 Dec – Sun 20 Dec"
	add := button{slackapp.ActionAddTask, "add", "primary"}

	// The owner: the strip, their work, the decision waiting on them.
	text, bs, blocks := view(owner)
	for _, w := range []string{strip, "*Your work* (1), soonest due first", "*#2 Plan go-live staffing*", "due Wed 25 Nov (*5 days overdue*)",
		"*Decisions waiting on you* (1), longest waiting first", "*Decision #1* asked by <@U0ALICE>", "waited 4 days",
		"needed by Fri 27 Nov (*late*)", ">Skip medcore-2026q3 and consolidate into one go-live?",
		"*Releases in progress*\n• `medcore-2026.4` MedCore 2026.4 · in *build* since Mon 2 Nov", "*Next vendor releases*\n• `medcore-2027.1`"} {
		if !strings.Contains(text, w) {
			t.Errorf("owner's home lacks %q:\n%s", w, text)
		}
	}
	if strings.Contains(text, "Decisions you asked for") {
		t.Errorf("owner's home lists decisions they did not ask:\n%s", text)
	}
	want := []button{add, {slackapp.ActionDone, "2", "primary"}, {slackapp.ActionOpen, "2", ""},
		{slackapp.ActionApprove, "1", "primary"}, {slackapp.ActionApproveComment, "1", ""}, {slackapp.ActionReject, "1", "danger"}}
	if fmt.Sprint(bs) != fmt.Sprint(want) {
		t.Errorf("owner's buttons %v, want %v", bs, want)
	}
	// Titles bold, details in fields.
	fields := 0
	for _, bl := range blocks {
		if f, ok := bl["fields"].([]any); ok {
			fields += len(f)
		}
	}
	if fields < 3 {
		t.Errorf("owner's home has %d fields, want the details of the task and the decision side by side", fields)
	}

	// The requester: the decision they asked for, waiting on whom and how long.
	text, bs, _ = view(alice)
	for _, w := range []string{strip, "*Your work*: nothing open.", "*Decisions you asked for* (1), waiting",
		"*Decision #1* Skip medcore-2026q3 and consolidate into one go-live?", "waiting on <@U0OWNER> for 4 days", "needed by Fri 27 Nov (*late*)"} {
		if !strings.Contains(text, w) {
			t.Errorf("requester's home lacks %q:\n%s", w, text)
		}
	}
	if strings.Contains(text, "Decisions waiting on you") || fmt.Sprint(bs) != fmt.Sprint([]button{add}) {
		t.Errorf("requester's home offers to decide (buttons %v):\n%s", bs, text)
	}

	// A member with no tasks: the strip and the Add button, nothing else to act on.
	text, bs, _ = view(bob)
	for _, w := range []string{strip, "*Your work*: nothing open. Add a task with the button, or `/upgrade add`."} {
		if !strings.Contains(text, w) {
			t.Errorf("member's home lacks %q:\n%s", w, text)
		}
	}
	if strings.Contains(text, "Decision") || fmt.Sprint(bs) != fmt.Sprint([]button{add}) {
		t.Errorf("member's home (buttons %v):\n%s", bs, text)
	}
}
