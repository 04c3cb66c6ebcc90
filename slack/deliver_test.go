package slack_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
	"github.com/upgradebot/upgradebot/internal/desktest"
	slackapp "github.com/upgradebot/upgradebot/slack"
	"github.com/upgradebot/upgradebot/store"
)

// delivery is a bot on a real database, a fake Slack Web API and an outbox
// worker between them, all on one fake clock.
type delivery struct {
	t     *testing.T
	b     *bot.Bot
	db    *store.DB
	clock *upgradebot.FakeClock
	api   *slackAPI
	d     *slackapp.Deliverer
	logs  *syncBuffer
}

// syncBuffer is a bytes.Buffer safe for the logger's concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newDelivery(t *testing.T) *delivery {
	t.Helper()
	b, db, clock := newBot(t)
	api := newSlackAPI(t)
	e := &delivery{t: t, b: b, db: db, clock: clock, api: api, logs: &syncBuffer{}}
	e.d = e.deliverer(db, api.Client())
	return e
}

// deliverer returns a worker on desk with the test's settings: no pause
// between calls (the fake clock does not move by itself), one second
// between messages to one channel, logs kept for inspection.
func (e *delivery) deliverer(desk upgradebot.Desk, api *slack.Client) *slackapp.Deliverer {
	return &slackapp.Deliverer{Desk: desk, API: api, Bot: e.b, Clock: e.clock, Metrics: slackapp.NewMetrics(),
		Logger:     slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		HTTPClient: &http.Client{Timeout: 5 * time.Second}, Interval: -1, ChannelInterval: time.Second}
}

// do runs a command that must succeed. The App Home refreshes it queues
// are settled undelivered: these tests are about the other messages (the
// home's own tests queue the refresh they deliver).
func (e *delivery) do(as, text string) {
	e.t.Helper()
	if r := e.b.Handle(context.Background(), bot.Request{User: as, Text: text}); r.Failed {
		e.t.Fatalf("%q as %s refused: %s", text, as, r.Text)
	}
	desktest.SettleHomes(e.t, e.db, e.clock)
}

// deliver runs one pass and returns how many messages went out.
func (e *delivery) deliver() int {
	e.t.Helper()
	n, err := e.d.DeliverOnce(context.Background())
	if err != nil {
		e.t.Fatalf("DeliverOnce: %v", err)
	}
	return n
}

func (e *delivery) message(id int64) *upgradebot.Message {
	e.t.Helper()
	m, err := e.db.FindMessage(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

// pending returns the messages due now.
func (e *delivery) pending() []*upgradebot.Message {
	e.t.Helper()
	msgs, err := e.db.PendingMessages(context.Background(), e.clock.Now(), 0)
	if err != nil {
		e.t.Fatal(err)
	}
	return msgs
}

func (e *delivery) queue(msgs ...upgradebot.Message) {
	e.t.Helper()
	if err := e.db.QueueMessages(context.Background(), msgs); err != nil {
		e.t.Fatal(err)
	}
}

func (e *delivery) metrics() string {
	var b strings.Builder
	e.d.Metrics.Write(&b, nil)
	return b.String()
}

// wantStatus checks a message's status and, if reason is set, its last error.
func (e *delivery) wantStatus(id int64, status upgradebot.MessageStatus, reason string) *upgradebot.Message {
	e.t.Helper()
	m := e.message(id)
	if m.Status != status || !strings.Contains(m.LastError, reason) {
		e.t.Fatalf("message %d: status %s, last error %q; want %s with %q", id, m.Status, m.LastError, status, reason)
	}
	return m
}

// blocks decodes the Block Kit JSON of a call's blocks parameter.
func blocks(t *testing.T, c apiCall) []any {
	t.Helper()
	var bs []any
	if err := json.Unmarshal([]byte(c.Param("blocks")), &bs); err != nil {
		t.Fatalf("%s: blocks %q: %v", c.Method, c.Param("blocks"), err)
	}
	return bs
}

// button is what a test checks of a Block Kit button.
type button struct{ ActionID, Value, Style string }

// buttons returns every button anywhere in v (decoded Block Kit JSON).
func buttons(v any) []button {
	var out []button
	switch v := v.(type) {
	case map[string]any:
		if v["type"] == "button" {
			s, _ := v["style"].(string)
			out = append(out, button{v["action_id"].(string), v["value"].(string), s})
		}
		for _, x := range v {
			out = append(out, buttons(x)...)
		}
	case []any:
		for _, x := range v {
			out = append(out, buttons(x)...)
		}
	}
	return out
}

// texts returns every mrkdwn text anywhere in v, joined by newlines.
func texts(v any) string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		if v["type"] == "mrkdwn" {
			out = append(out, v["text"].(string))
		}
		for _, x := range v {
			if s := texts(x); s != "" {
				out = append(out, s)
			}
		}
	case []any:
		for _, x := range v {
			if s := texts(x); s != "" {
				out = append(out, s)
			}
		}
	}
	return strings.Join(out, "\n")
}

func calls(api *slackAPI) string {
	var out []string
	for _, c := range api.Calls("") {
		out = append(out, c.Method+" "+c.Param("channel")+c.Param("users"))
	}
	return strings.Join(out, ", ")
}

func TestDeliverDM(t *testing.T) {
	e := newDelivery(t)
	e.do(admin, "add Read the release notes <@U0ALICE|alice> due:fri")
	if n := e.deliver(); n != 1 {
		t.Fatalf("delivered %d, want 1", n)
	}
	got := e.api.Calls("")
	if len(got) != 2 || got[0].Method != "conversations.open" || got[1].Method != "chat.postMessage" {
		t.Fatalf("calls: %s; want conversations.open then chat.postMessage", calls(e.api))
	}
	if u := got[0].Param("users"); u != alice {
		t.Errorf("conversations.open users=%q, want %s", u, alice)
	}
	post := got[1]
	if ch := post.Param("channel"); ch != "D0ALICE" {
		t.Errorf("posted to %q, want the DM channel D0ALICE", ch)
	}
	if text := post.Param("text"); !strings.Contains(text, "<@U0ADMIN> assigned you #1 Read the release notes") {
		t.Errorf("fallback text %q", text)
	}
	// Issue 15: the task's details, then its buttons (Done, a Snooze
	// menu, a New date picker, Open) in a block that names the task and
	// the message, so that a tap updates it in place.
	bs := blocks(t, post)
	want := []button{{slackapp.ActionDone, "1", "primary"}, {slackapp.ActionOpen, "1", ""}}
	if len(bs) != 3 || !strings.Contains(texts(bs), "assigned you #1") || fmt.Sprint(buttons(bs)) != fmt.Sprint(want) {
		t.Errorf("blocks: %v; want the text, the task's details and its buttons %v", bs, want)
	}
	if len(bs) == 3 {
		actions := bs[2].(map[string]any)
		var kinds []string
		for _, el := range actions["elements"].([]any) {
			kinds = append(kinds, el.(map[string]any)["type"].(string))
		}
		if actions["block_id"] != "task_1_m1" || strings.Join(kinds, " ") != "button static_select datepicker button" {
			t.Errorf("actions block %v", actions)
		}
		if !strings.Contains(texts(bs[1]), "due tomorrow") {
			t.Errorf("details %v", bs[1])
		}
	}
	if post.Token != "xoxb-test-token" {
		t.Errorf("token %q", post.Token)
	}
	m := e.wantStatus(e.msg(1), upgradebot.MessageSent, "")
	if m.SlackChannel != "D0ALICE" || m.SlackTS != "1764147600.000002" {
		t.Errorf("recorded channel %q ts %q; want D0ALICE and the ts Slack returned", m.SlackChannel, m.SlackTS)
	}
	if !strings.Contains(e.metrics(), `upgradebot_deliveries_total{kind="dm"} 1`) {
		t.Errorf("metrics:\n%s", e.metrics())
	}
	if n := e.deliver(); n != 0 || len(e.api.Calls("")) != 2 {
		t.Errorf("a second pass delivered %d and called %s", n, calls(e.api))
	}
}

// decide sets an owner, asks a question as alice and delivers the request.
func (e *delivery) decide() apiCall {
	e.t.Helper()
	e.do(admin, "owner <@U0OWNER|olga>")
	e.do(alice, "decide Skip 2026.3 and consolidate into 2026.4? due:mon")
	if n := e.deliver(); n != 1 {
		e.t.Fatalf("delivered %d, want the decision request", n)
	}
	posts := e.api.Calls("chat.postMessage")
	if len(posts) != 1 {
		e.t.Fatalf("calls: %s", calls(e.api))
	}
	return posts[0]
}

func TestDeliverDecisionRequestHasButtons(t *testing.T) {
	e := newDelivery(t)
	post := e.decide()
	if ch := post.Param("channel"); ch != "D0OWNER" {
		t.Errorf("request posted to %q, want the owner's DM D0OWNER", ch)
	}
	if text := post.Param("text"); !strings.Contains(text, "*Decision #1* requested by <@U0ALICE>") {
		t.Errorf("fallback text %q", text)
	}
	bs := blocks(t, post)
	// Issue 15: a way to comment from the buttons.
	want := []button{{slackapp.ActionApprove, "1", "primary"}, {slackapp.ActionApproveComment, "1", ""}, {slackapp.ActionReject, "1", "danger"}}
	if got := buttons(bs); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("buttons %v, want %v", got, want)
	}
	if last := bs[len(bs)-1].(map[string]any); last["type"] != "actions" {
		t.Errorf("last block is %v, want the actions", last["type"])
	}
}

func TestDeliverDecisionOutcomeUpdatesInPlace(t *testing.T) {
	e := newDelivery(t)
	e.decide()
	request := e.message(e.msg(1))
	e.do(owner, "approve 1 One go-live, fewer downtimes.")
	e.clock.Advance(time.Second) // the owner's DM had a message this second
	if n := e.deliver(); n != 3 {
		t.Fatalf("delivered %d, want the update, the DM to alice and the channel post; calls: %s", n, calls(e.api))
	}
	ups := e.api.Calls("chat.update")
	if len(ups) != 1 {
		t.Fatalf("chat.update calls: %d", len(ups))
	}
	up := ups[0]
	if up.Param("channel") != request.SlackChannel || up.Param("ts") != request.SlackTS {
		t.Errorf("chat.update channel %q ts %q; want the request's %q %q", up.Param("channel"), up.Param("ts"), request.SlackChannel, request.SlackTS)
	}
	bs := blocks(t, up)
	if b := buttons(bs); len(b) != 0 {
		t.Errorf("the updated request still has buttons: %v", b)
	}
	// Issue 15: the outcome line with ✅ and the time (the team's zone).
	if s := texts(bs); !strings.Contains(s, "✅ Approved by you, 09:00: One go-live, fewer downtimes.") || !strings.Contains(s, ">Skip 2026.3") {
		t.Errorf("updated text: %q", s)
	}
	var toAlice, toTeam int
	for _, p := range e.api.Calls("chat.postMessage")[1:] {
		switch p.Param("channel") {
		case "D0ALICE":
			toAlice++
		case teamCh:
			toTeam++
			if !strings.Contains(p.Param("text"), "approved by <@U0OWNER>") {
				t.Errorf("channel post: %q", p.Param("text"))
			}
		}
	}
	if toAlice != 1 || toTeam != 1 {
		t.Errorf("calls: %s; want one DM to alice and one post to %s", calls(e.api), teamCh)
	}
	var update *upgradebot.Message
	for n := 2; n <= 4; n++ {
		if m := e.wantStatus(e.msg(n), upgradebot.MessageSent, ""); m.Kind == upgradebot.MessageUpdate {
			update = m
		}
	}
	if update == nil || update.SlackTS != request.SlackTS || update.SlackChannel != request.SlackChannel {
		t.Errorf("update recorded as %+v", update)
	}
}

func TestDeliverUpdateWaitsForPendingOriginal(t *testing.T) {
	e := newDelivery(t)
	e.d.ChannelInterval = -1 // the original and its update go out in one pass
	e.do(admin, "owner <@U0OWNER|olga>")
	e.do(alice, "decide Extend the freeze by a week?")
	e.api.Script("conversations.open", http.StatusServiceUnavailable, nil, "down")
	if n := e.deliver(); n != 0 {
		t.Fatalf("delivered %d while Slack was down", n)
	}
	e.wantStatus(e.msg(1), upgradebot.MessagePending, "503")
	e.do(owner, "reject 1 Not this cycle.")
	var update int64
	for _, m := range e.pending() {
		if m.Kind == upgradebot.MessageUpdate {
			update = m.ID
		}
	}
	if update == 0 {
		t.Fatal("no update queued")
	}
	e.deliver()
	if n := len(e.api.Calls("chat.update")); n != 0 {
		t.Fatalf("chat.update called %d times before the original was sent", n)
	}
	e.wantStatus(update, upgradebot.MessagePending, fmt.Sprintf("waiting for message #%d", e.msg(1)))

	e.clock.Advance(10 * time.Second) // past the original's backoff and the update's wait
	e.deliver()
	e.wantStatus(e.msg(1), upgradebot.MessageSent, "")
	ups := e.api.Calls("chat.update")
	if len(ups) != 1 || ups[0].Param("ts") != e.message(e.msg(1)).SlackTS || ups[0].Param("channel") != "D0OWNER" {
		t.Fatalf("chat.update calls: %v", ups)
	}
	e.wantStatus(update, upgradebot.MessageSent, "")
}

func TestDeliverUpdateOfFailedOriginalFails(t *testing.T) {
	e := newDelivery(t)
	e.do(admin, "owner <@U0OWNER|olga>")
	e.do(alice, "decide New printer queue?")
	e.api.ScriptError("conversations.open", "user_not_found")
	e.deliver()
	e.wantStatus(e.msg(1), upgradebot.MessageFailed, "user_not_found")
	e.do(owner, "approve 1")
	e.clock.Advance(time.Second)
	e.deliver()
	for _, n := range []int{2, 3} {
		if m := e.msg(n); e.message(m).Kind == upgradebot.MessageUpdate {
			e.wantStatus(m, upgradebot.MessageFailed, fmt.Sprintf("#%d) failed: user_not_found", e.msg(1)))
		}
	}
	if n := len(e.api.Calls("chat.update")); n != 0 {
		t.Errorf("chat.update called %d times", n)
	}
}

func TestDeliverHome(t *testing.T) {
	e := newDelivery(t)
	e.do(admin, "owner <@U0OWNER|olga>")
	e.do(alice, "decide Skip 2026.3 and consolidate into 2026.4?")
	e.do(admin, "add Plan go-live staffing <@U0OWNER> due:+2w")
	e.do(admin, "add Sign off the test plan <@U0OWNER> due:tomorrow")
	e.do(owner, "add Something done already <@U0OWNER>")
	e.do(owner, "done 3")
	e.do(admin, "add Not hers <@U0BOB>")
	e.do(admin, "release add MedCore 2027.1 ga:2027-01-20")
	e.do(admin, "release add MedCore 2026.3 ga:2026-08-20")
	e.do(admin, "maint add Duplicate record clean-up every:2w <@U0BOB> first:2026-11-02")
	for len(e.pending()) > 0 {
		e.deliver()
		e.clock.Advance(time.Second)
	}
	e.queue(upgradebot.HomeMessage(owner))
	if n := e.deliver(); n != 1 {
		t.Fatalf("delivered %d, want the home view", n)
	}
	pubs := e.api.Calls("views.publish")
	if len(pubs) != 1 {
		t.Fatalf("calls: %s", calls(e.api))
	}
	if u := pubs[0].Param("user_id"); u != owner {
		t.Errorf("published for %q", u)
	}
	view := pubs[0].JSON["view"].(map[string]any)
	if view["type"] != "home" {
		t.Errorf("view type %v", view["type"])
	}
	bs := view["blocks"].([]any)
	if len(bs) > 100 {
		t.Errorf("%d blocks; Slack allows 100", len(bs))
	}
	// Issue 15: the Add button; each task with Done and Open (and a Snooze
	// menu and a New date picker, not buttons); the task the owner just
	// closed with Undo; Approve, Approve with a comment, Reject.
	want := []button{
		{slackapp.ActionAddTask, "add", "primary"},
		{slackapp.ActionDone, "2", "primary"}, // due tomorrow: soonest first
		{slackapp.ActionOpen, "2", ""},
		{slackapp.ActionDone, "1", "primary"},
		{slackapp.ActionOpen, "1", ""},
		{slackapp.ActionUndo, "3", ""},
		{slackapp.ActionApprove, "1", "primary"},
		{slackapp.ActionApproveComment, "1", ""},
		{slackapp.ActionReject, "1", "danger"},
	}
	if got := buttons(bs); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("buttons %v, want %v", got, want)
	}
	text := texts(bs)
	// Issue 15: one date style; the release in progress (2026.3, out and
	// not live) is shown with where it is; what the owner just did, with
	// Undo.
	for _, w := range []string{"#2 Sign off the test plan", "#1 Plan go-live staffing", "*Decision #1* asked by <@U0ALICE>",
		"Skip 2026.3", "`medcore-2027.1` MedCore 2027.1 · GA Wed 20 Jan 2027", "Duplicate record clean-up", "overdue since Mon 2 Nov",
		"*Releases in progress*\n• `medcore-2026.3` MedCore 2026.3 · out since Thu 20 Aug, not started", "#3 Something done already*\n✅ Done by you"} {
		if !strings.Contains(text, w) {
			t.Errorf("home lacks %q:\n%s", w, text)
		}
	}
	for _, w := range []string{"Not hers", "2026.3 ga", "failed"} {
		if strings.Contains(text, w) {
			t.Errorf("home has %q:\n%s", w, text)
		}
	}
	e.wantStatus(e.lastID(t, upgradebot.MessageHome), upgradebot.MessageSent, "")
}

// msg is the outbox id of the nth message (from 1) that is not an App Home
// refresh, in the order they were queued: the commands these tests run
// queue refreshes beside their DMs and posts.
func (e *delivery) msg(n int) int64 {
	e.t.Helper()
	for id := int64(1); id <= 500; id++ {
		m, err := e.db.FindMessage(context.Background(), id)
		if err != nil || m.Kind == upgradebot.MessageHome {
			continue
		}
		if n--; n == 0 {
			return id
		}
	}
	e.t.Fatalf("no message %d", n)
	return 0
}

// lastID is the id of the latest message of kind, whatever its status.
func (e *delivery) lastID(t *testing.T, kind upgradebot.MessageKind) int64 {
	t.Helper()
	for id := int64(100); id > 0; id-- {
		if m, err := e.db.FindMessage(context.Background(), id); err == nil && m.Kind == kind {
			return id
		}
	}
	t.Fatalf("no %s message", kind)
	return 0
}

func TestHomeView(t *testing.T) {
	e := newDelivery(t)
	ctx := context.Background()
	e.do(admin, "owner <@U0OWNER|olga>")
	e.do(alice, "decide Go live on the 5th?")
	for i := range 23 {
		e.do(admin, fmt.Sprintf("add Task %d <@U0ALICE> due:+%dd", i+1, i+1))
	}
	view := func(user string) (string, []button, int) {
		t.Helper()
		h, err := e.b.Home(ctx, user)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := json.Marshal(slackapp.HomeView(h))
		if err != nil {
			t.Fatal(err)
		}
		var decoded map[string]any
		if err := json.Unmarshal(raw, &decoded); err != nil {
			t.Fatal(err)
		}
		bs := decoded["blocks"].([]any)
		return texts(bs), buttons(bs), len(bs)
	}

	// Issue 15: each task with Done and Open, and the Add button; "your
	// work"; the decision alice asked for, and how long it has waited.
	text, bs, n := view(alice)
	if len(bs) != 41 || n > 100 || bs[0].ActionID != slackapp.ActionAddTask {
		t.Errorf("alice: %d buttons in %d blocks, want Add and 20 tasks with Done and Open", len(bs), n)
	}
	for _, w := range []string{"*Your work* (23)", "#1 Task 1", "…and 3 more", "*Decisions you asked for* (1)", "*Decision #1* Go live on the 5th?",
		"waiting on <@U0OWNER> for under 2 hours"} {
		if !strings.Contains(text, w) {
			t.Errorf("alice's home lacks %q:\n%s", w, text)
		}
	}
	if strings.Contains(text, "Decisions waiting on you") || strings.Contains(text, "Admins") {
		t.Errorf("alice sees decisions to answer or the admin line:\n%s", text)
	}

	// The delegate sees the decisions while the owner is away; the owner still does.
	e.do(owner, "away 2026-11-26..2026-11-30 delegate:<@U0DELEG|dev>")
	decide := []button{{slackapp.ActionAddTask, "add", "primary"}, {slackapp.ActionApprove, "1", "primary"},
		{slackapp.ActionApproveComment, "1", ""}, {slackapp.ActionReject, "1", "danger"}}
	text, bs, _ = view(deleg)
	if !strings.Contains(text, "as delegate while <@U0OWNER> is away until Mon 30 Nov") || fmt.Sprint(bs) != fmt.Sprint(decide) {
		t.Errorf("delegate's home: %v\n%s", bs, text)
	}
	if _, bs, _ = view(owner); fmt.Sprint(bs) != fmt.Sprint(decide) {
		t.Errorf("owner's home buttons: %v", bs)
	}
	e.clock.Advance(5 * 24 * time.Hour) // the window is over
	if text, _, _ = view(deleg); strings.Contains(text, "Decision") {
		t.Errorf("former delegate still sees decisions:\n%s", text)
	}

	// Admins see failed deliveries with the latest error.
	if text, _, _ = view(admin); !strings.Contains(text, "no outgoing message has failed") {
		t.Errorf("admin's home:\n%s", text)
	}
	e.api.ScriptError("conversations.open", "user_not_found")
	e.d.ChannelInterval = -1
	e.deliver()
	text, _, _ = view(admin)
	if !strings.Contains(text, "1 outgoing message failed for good") || !strings.Contains(text, "user_not_found") { // issue 15: plural right
		t.Errorf("admin's home:\n%s", text)
	}
}

func TestDeliverResponseURL(t *testing.T) {
	e := newDelivery(t)
	e.queue(upgradebot.Message{Kind: upgradebot.MessageResponse, To: e.api.ResponseURL(), Text: "Done: #4 Build order sets."})
	if n := e.deliver(); n != 1 {
		t.Fatalf("delivered %d", n)
	}
	rs := e.api.Responses()
	if len(rs) != 1 {
		t.Fatalf("%d posts to response_url", len(rs))
	}
	r := rs[0].JSON
	if r["response_type"] != "ephemeral" || r["replace_original"] != false || r["text"] != "Done: #4 Build order sets." {
		t.Errorf("response_url body: %v", r)
	}
	if s := texts(r["blocks"]); s != "Done: #4 Build order sets." {
		t.Errorf("blocks text %q", s)
	}
	if len(e.api.Calls("")) != 0 {
		t.Errorf("Web API calls: %s", calls(e.api))
	}
	e.wantStatus(e.msg(1), upgradebot.MessageSent, "")
}

func TestDeliverResponseURLGone(t *testing.T) {
	e := newDelivery(t)
	var hits atomic.Int32
	gone := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, "expired_url", http.StatusGone)
	}))
	defer gone.Close()
	secret := gone.URL + "/actions/T0TEAM/123/SeCrEt"
	e.queue(upgradebot.Message{Kind: upgradebot.MessageResponse, To: secret, Text: "late reply"})
	e.deliver()
	e.wantStatus(e.msg(1), upgradebot.MessageFailed, "410")
	e.clock.Advance(time.Hour)
	e.deliver()
	if hits.Load() != 1 {
		t.Errorf("response_url tried %d times, want 1", hits.Load())
	}
	if strings.Contains(e.logs.String(), "SeCrEt") || strings.Contains(e.message(e.msg(1)).LastError, "SeCrEt") {
		t.Errorf("the response_url leaked into logs or the outbox:\n%s", e.logs)
	}
}

func TestDeliverRateLimited(t *testing.T) {
	e := newDelivery(t)
	e.do(admin, "add First <@U0ALICE>")
	e.do(admin, "add Second <@U0BOB>")
	e.api.Script("chat.postMessage", http.StatusTooManyRequests, map[string]string{"Retry-After": "1"}, "")
	if n := e.deliver(); n != 0 {
		t.Fatalf("delivered %d while rate limited", n)
	}
	e.wantStatus(e.msg(1), upgradebot.MessagePending, "rate limit")
	e.wantStatus(e.msg(2), upgradebot.MessagePending, "") // not tried: everything pauses
	before := len(e.api.Calls(""))
	if n := e.deliver(); n != 0 || len(e.api.Calls("")) != before {
		t.Fatalf("a pass inside Retry-After delivered %d and called %s", n, calls(e.api))
	}
	e.clock.Advance(time.Second)
	if n := e.deliver(); n != 2 {
		t.Fatalf("delivered %d after Retry-After, want 2; calls %s", n, calls(e.api))
	}
	var ok int
	for _, p := range e.api.Calls("chat.postMessage") {
		if p.Param("channel") == "D0ALICE" {
			ok++
		}
	}
	if ok != 2 { // the 429 and the one that succeeded
		t.Errorf("chat.postMessage to alice %d times, want 2 (one refused, one delivered): %s", ok, calls(e.api))
	}
	e.wantStatus(e.msg(1), upgradebot.MessageSent, "")
	e.wantStatus(e.msg(2), upgradebot.MessageSent, "")
	if !strings.Contains(e.metrics(), `upgradebot_delivery_retries_total{kind="dm"} 1`) {
		t.Errorf("metrics:\n%s", e.metrics())
	}
}

func TestDeliverServerErrorThenSuccess(t *testing.T) {
	e := newDelivery(t)
	e.do(admin, "add First <@U0ALICE>")
	e.api.Script("chat.postMessage", http.StatusInternalServerError, nil, "<html>oops</html>")
	if n := e.deliver(); n != 0 {
		t.Fatalf("delivered %d", n)
	}
	m := e.wantStatus(e.msg(1), upgradebot.MessagePending, "500")
	if m.Attempts != 1 || !m.NextTry.After(e.clock.Now()) || m.NextTry.After(e.clock.Now().Add(2*time.Second)) {
		t.Errorf("after a 500: attempts %d, next try %v (now %v); want a backoff of at most 2s", m.Attempts, m.NextTry, e.clock.Now())
	}
	if n := e.deliver(); n != 0 {
		t.Errorf("retried before the backoff")
	}
	e.clock.Advance(2 * time.Second)
	if n := e.deliver(); n != 1 {
		t.Fatalf("delivered %d after the backoff", n)
	}
	e.wantStatus(e.msg(1), upgradebot.MessageSent, "")
	if n := len(e.api.Calls("chat.postMessage")); n != 2 {
		t.Errorf("%d posts, want 2", n)
	}
}

func TestDeliverGivesUpAfterMaxAttempts(t *testing.T) {
	e := newDelivery(t)
	e.d.MaxAttempts = 3
	e.do(admin, "add First <@U0ALICE>")
	for range 3 {
		e.api.Script("chat.postMessage", http.StatusBadGateway, nil, "")
	}
	for range 3 {
		e.deliver()
		e.clock.Advance(10 * time.Minute)
	}
	e.wantStatus(e.msg(1), upgradebot.MessageFailed, "gave up after 3 attempts")
	e.deliver()
	if n := len(e.api.Calls("chat.postMessage")); n != 3 {
		t.Errorf("%d posts, want 3", n)
	}
}

func TestDeliverNetworkErrorThenSuccess(t *testing.T) {
	e := newDelivery(t)
	// A proxy in front of the fake drops the first chat.postMessage
	// connection without answering.
	var drop atomic.Int32
	drop.Store(1)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/chat.postMessage") && drop.Add(-1) >= 0 {
			io.Copy(io.Discard, r.Body)
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			conn.Close()
			return
		}
		e.api.Config.Handler.ServeHTTP(w, r)
	}))
	defer proxy.Close()
	e.d.API = slack.New("xoxb-test-token", slack.OptionAPIURL(proxy.URL+"/api/"),
		slack.OptionHTTPClient(&http.Client{Timeout: 5 * time.Second}))
	e.do(admin, "add First <@U0ALICE>")
	if n := e.deliver(); n != 0 {
		t.Fatalf("delivered %d over a dropped connection", n)
	}
	e.wantStatus(e.msg(1), upgradebot.MessagePending, "EOF")
	e.clock.Advance(2 * time.Second)
	if n := e.deliver(); n != 1 {
		t.Fatalf("delivered %d after the network came back", n)
	}
	e.wantStatus(e.msg(1), upgradebot.MessageSent, "")
	if n := len(e.api.Calls("chat.postMessage")); n != 1 {
		t.Errorf("the fake saw %d posts, want 1", n)
	}
}

func TestDeliverChannelNotFoundFails(t *testing.T) {
	e := newDelivery(t)
	e.do(admin, "owner <@U0OWNER|olga>")
	e.do(alice, "decide Move the go-live to March?")
	e.do(owner, "approve 1 Confidential-sounding comment")
	e.api.ScriptError("chat.postMessage", "channel_not_found") // the first post: the request DM
	e.deliver()
	e.wantStatus(e.msg(1), upgradebot.MessageFailed, "channel_not_found")
	e.clock.Advance(24 * time.Hour)
	before := len(e.api.Calls("chat.postMessage"))
	e.deliver()
	for _, c := range e.api.Calls("chat.postMessage")[before:] {
		if c.Param("channel") == "D0OWNER" {
			t.Errorf("the failed message was retried")
		}
	}
	e.wantStatus(e.msg(1), upgradebot.MessageFailed, "channel_not_found")
	if !strings.Contains(e.metrics(), `upgradebot_delivery_failures_total{kind="dm"} 1`) {
		t.Errorf("metrics:\n%s", e.metrics())
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "channel_not_found") || !strings.Contains(logs, fmt.Sprintf("message=%d", e.msg(1))) {
		t.Errorf("the failure is not logged with its id and error:\n%s", logs)
	}
	for _, secret := range []string{"go-live to March", "Confidential"} {
		if strings.Contains(logs, secret) {
			t.Errorf("message text %q in the logs:\n%s", secret, logs)
		}
	}
}

func TestDeliverTokenRevokedStopsRun(t *testing.T) {
	e := newDelivery(t)
	e.d.Poll = time.Millisecond
	e.do(admin, "add First <@U0ALICE>")
	e.do(admin, "add Second <@U0BOB>")
	e.api.ScriptError("conversations.open", "invalid_auth")
	err := e.d.Run(t.Context())
	if !errors.Is(err, slackapp.ErrTokenRevoked) || !strings.Contains(err.Error(), "invalid_auth") {
		t.Fatalf("Run returned %v, want ErrTokenRevoked naming invalid_auth", err)
	}
	e.wantStatus(e.msg(1), upgradebot.MessagePending, "invalid_auth") // issue 12 item 8: not failed
	e.wantStatus(e.msg(2), upgradebot.MessagePending, "")             // left for after the reinstall
	if n := len(e.api.Calls("")); n != 1 {
		t.Errorf("calls after the token was refused: %s", calls(e.api))
	}
}

func TestDeliverRunWakesAndStops(t *testing.T) {
	e := newDelivery(t)
	e.d.Poll = time.Hour // only Wake makes it look again
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- e.d.Run(ctx) }()
	e.do(admin, "add First <@U0ALICE>")
	for e.message(e.msg(1)).Status != upgradebot.MessageSent {
		e.d.Wake()
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run after cancel: %v", err)
	}
}

func TestDeliverTwoWorkersOneDatabase(t *testing.T) {
	ctx := context.Background()
	clock := upgradebot.NewFakeClock(start)
	path := filepath.Join(t.TempDir(), "upgradebot.db")
	open := func() *store.DB {
		db, err := store.Open(ctx, path, clock)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	db1, db2 := open(), open()
	if err := db1.Bootstrap(ctx, teamCh, "America/Chicago", []string{admin}); err != nil {
		t.Fatal(err)
	}
	api := newSlackAPI(t)
	e := &delivery{t: t, b: &bot.Bot{Desk: db1, Clock: clock}, db: db1, clock: clock, api: api, logs: &syncBuffer{}}
	const n = 40
	for i := range n {
		e.do(admin, fmt.Sprintf("add Task %d <@U0P%02d>", i, i))
	}
	workers := []*slackapp.Deliverer{e.deliverer(db1, api.Client()), e.deliverer(db2, api.Client())}
	var wg sync.WaitGroup
	var delivered atomic.Int32
	for _, d := range workers {
		wg.Go(func() {
			for range 3 {
				k, err := d.DeliverOnce(ctx)
				if err != nil {
					t.Error(err)
				}
				delivered.Add(int32(k))
			}
		})
	}
	wg.Wait()
	if delivered.Load() != n {
		t.Errorf("delivered %d, want %d", delivered.Load(), n)
	}
	per := map[string]int{}
	for _, p := range api.Calls("chat.postMessage") {
		per[p.Param("channel")]++
	}
	for i := range n {
		if ch := fmt.Sprintf("D0P%02d", i); per[ch] != 1 {
			t.Errorf("%s got %d posts, want 1", ch, per[ch])
		}
	}
	counts, err := db2.CountMessages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n { // every DM sent (App Home refreshes were settled by do)
		if m := e.message(e.msg(i + 1)); m.Kind != upgradebot.MessageDM || m.Status != upgradebot.MessageSent {
			t.Errorf("message %d: %s %s", i+1, m.Kind, m.Status)
		}
	}
	if counts[upgradebot.MessagePending] != 0 || counts[upgradebot.MessageFailed] != 0 {
		t.Errorf("outbox: %v", counts)
	}
}

func TestDeliverChannelInterval(t *testing.T) {
	e := newDelivery(t)
	e.d.ChannelInterval = time.Hour
	e.do(admin, "add First <@U0ALICE>")
	e.do(admin, "add Second <@U0ALICE>")
	e.do(admin, "add Third <@U0BOB>")
	if n := e.deliver(); n != 2 {
		t.Fatalf("delivered %d, want alice's first and bob's", n)
	}
	e.wantStatus(e.msg(1), upgradebot.MessageSent, "")
	if m := e.wantStatus(e.msg(2), upgradebot.MessagePending, ""); m.Attempts != 0 {
		t.Errorf("the held-back message counts %d attempts", m.Attempts)
	}
	e.wantStatus(e.msg(3), upgradebot.MessageSent, "")
	e.clock.Advance(59 * time.Minute)
	if n := e.deliver(); n != 0 {
		t.Fatalf("delivered %d inside the channel interval", n)
	}
	e.clock.Advance(time.Minute)
	if n := e.deliver(); n != 1 {
		t.Fatalf("delivered %d after the channel interval", n)
	}
	e.wantStatus(e.msg(2), upgradebot.MessageSent, "")
}

func TestDeliverInterval(t *testing.T) {
	// With a real pause between Web API calls, a DM (two calls) still goes
	// out in one pass; the pause is a sleep, not a failure.
	e := newDelivery(t)
	e.d.Interval = 5 * time.Millisecond
	e.do(admin, "add First <@U0ALICE>")
	e.do(admin, "add Second <@U0BOB>")
	if n := e.deliver(); n != 2 {
		t.Fatalf("delivered %d", n)
	}
	if n := len(e.api.Calls("")); n != 4 {
		t.Errorf("calls: %s", calls(e.api))
	}
}
