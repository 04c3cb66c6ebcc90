package slack_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/slack-go/slack"
	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
	"github.com/upgradebot/upgradebot/internal/desktest"
	slackapp "github.com/upgradebot/upgradebot/slack"
)

// TestModalPHI runs the shared table through the add-task modal's
// submission (ParseAddTask, then the desk): what the guard refuses is
// shown on the title field with its reason, nothing is written but the
// refusal's audit row, and neither the field's message nor the log repeats
// the numbers. A rejection's reason typed in the reject modal is checked
// the same way.
func TestModalPHI(t *testing.T) {
	e := newSlackEnv(t, newSlackAPI(t))
	ctx := context.Background()
	submit := func(values map[string]map[string]any, callback, metadata string) *slack.ViewSubmissionResponse {
		t.Helper()
		w := e.post(t, "/slack/interactive", submitBody(t, alice, callback, metadata, values))
		if w.Code != http.StatusOK {
			t.Fatalf("status %d %q", w.Code, w.Body)
		}
		if w.Body.Len() == 0 {
			return nil
		}
		var resp slack.ViewSubmissionResponse
		if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
			t.Fatalf("%q: %v", w.Body, err)
		}
		return &resp
	}
	count := func() (tasks, refusals int) {
		_, tasks, err := e.db.FindTasks(ctx, upgradebot.TaskFilter{})
		if err != nil {
			t.Fatal(err)
		}
		rows, err := e.db.FindAudit(ctx, upgradebot.AuditFilter{Entity: "phi", Limit: 1 << 20})
		if err != nil {
			t.Fatal(err)
		}
		return tasks, len(rows)
	}
	for _, c := range desktest.PHICases {
		kind := "upgrade"
		if c.Cleanup {
			kind = "cleanup"
		}
		tasks, refusals := count()
		resp := submit(map[string]map[string]any{
			slackapp.BlockTitle: {slackapp.InputTitle: textValue(c.Text)},
			slackapp.BlockKind:  {slackapp.InputKind: selected(kind)},
		}, slackapp.CallbackAddTask, "")
		tasks2, refusals2 := count()
		if c.Kind == "" {
			if resp != nil || tasks2 != tasks+1 {
				t.Errorf("%s: %q was refused: %+v", c.Desc, c.Text, resp)
			}
			continue
		}
		if resp == nil || resp.ResponseAction != slack.RAErrors || len(resp.Errors) != 1 {
			t.Errorf("%s: %q answered %+v, want an error on the title", c.Desc, c.Text, resp)
			continue
		}
		msg := resp.Errors[slackapp.BlockTitle]
		if !strings.HasPrefix(msg, "The title holds") || !strings.Contains(msg, c.Kind.Human()) || !strings.Contains(msg, "keep patient identifiers in the EHR") {
			t.Errorf("%s: the title's error is %q", c.Desc, msg)
		}
		if strings.IndexFunc(msg, unicode.IsDigit) >= 0 {
			t.Errorf("%s: the title's error %q holds a digit", c.Desc, msg)
		}
		if tasks2 != tasks || refusals2 != refusals+1 {
			t.Errorf("%s: %d tasks → %d, %d refusals → %d; want no task and one refusal recorded", c.Desc, tasks, tasks2, refusals, refusals2)
		}
	}

	// The reject modal's reason.
	if r := e.slack.Bot.Handle(ctx, bot.Request{User: admin, Text: "owner <@U0ALICE|alice>"}); r.Failed {
		t.Fatal(r.Text)
	}
	if r := e.slack.Bot.Handle(ctx, bot.Request{User: bob, Text: `decide "Go live on a Sunday?"`}); r.Failed {
		t.Fatal(r.Text)
	}
	resp := submit(map[string]map[string]any{slackapp.BlockReason: {slackapp.InputReason: textValue("not for MRN 00482913")}},
		slackapp.CallbackReject, strconv.Itoa(1))
	if resp == nil || !strings.Contains(resp.Errors[slackapp.BlockReason], "the reason holds what looks like a medical record number") {
		t.Errorf("reject with patient data answered %+v", resp)
	}
	if resp := submit(map[string]map[string]any{slackapp.BlockReason: {slackapp.InputReason: textValue("too risky")}},
		slackapp.CallbackReject, strconv.Itoa(1)); resp != nil {
		t.Errorf("a plain rejection answered %+v", resp)
	}
	for _, run := range desktest.PHIDigits() {
		if strings.Contains(e.logs.String(), run) {
			t.Errorf("the log holds %q:\n%s", run, e.logs.String())
		}
	}
}

// TestAddTaskModalSites: a team with sites gets a menu of them; the site
// chosen is the task's.
func TestAddTaskModalSites(t *testing.T) {
	none := slackapp.AddTaskModal(nil)
	sites := slackapp.AddTaskModal(nil, upgradebot.Site{Key: "north", Name: "North Campus"}, upgradebot.Site{Key: "south", Name: "South Hospital"})
	if len(sites.Blocks.BlockSet) != len(none.Blocks.BlockSet)+1 {
		t.Fatalf("the modal has %d blocks with sites, %d without", len(sites.Blocks.BlockSet), len(none.Blocks.BlockSet))
	}
	js, _ := json.Marshal(sites)
	for _, w := range []string{`"block_id":"task_site"`, `"action_id":"site"`, `"North Campus"`, `"value":"south"`, "None: the whole system."} {
		if !strings.Contains(string(js), w) {
			t.Errorf("the modal lacks %s", w)
		}
	}
	e := newSlackEnv(t, newSlackAPI(t))
	ctx := context.Background()
	if err := e.db.AddSite(ctx, admin, &upgradebot.Site{Key: "north", Name: "North Campus"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		site  string
		block string // the field refused, "" for none
	}{{"north", ""}, {"west", slackapp.BlockSite}} {
		w := e.post(t, "/slack/interactive", submitBody(t, alice, slackapp.CallbackAddTask, "", map[string]map[string]any{
			slackapp.BlockTitle: {slackapp.InputTitle: textValue("Swap the label printers")},
			slackapp.BlockSite:  {slackapp.InputSite: selected(c.site)},
		}))
		if (w.Body.Len() == 0) != (c.block == "") || (c.block != "" && !strings.Contains(w.Body.String(), `"`+c.block+`":`)) {
			t.Errorf("site %s answered %q", c.site, w.Body)
		}
	}
	tasks, _, err := e.db.FindTasks(ctx, upgradebot.TaskFilter{Site: "north"})
	if err != nil || len(tasks) != 1 {
		t.Errorf("north's tasks = %+v, %v", tasks, err)
	}
}
