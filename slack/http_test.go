package slack_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
	slackapp "github.com/upgradebot/upgradebot/slack"
	"github.com/upgradebot/upgradebot/store"
)

const signingSecret = "8f742231b10e8888abcd99yyyzzz85a5-test"

// slackExample is Slack's own documented example of a signed request
// ("Verifying requests from Slack"). Its timestamp is from 2018.
var slackExample = struct {
	secret, timestamp, body, signature string
}{
	secret:    "8f742231b10e8888abcd99yyyzzz85a5",
	timestamp: "1531420618",
	body:      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c",
	signature: "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
}

func TestSignatureSlackExample(t *testing.T) {
	ex := slackExample
	if got := slackapp.SignatureFor(ex.secret, ex.timestamp, []byte(ex.body)); got != ex.signature {
		t.Fatalf("SignatureFor = %s, want Slack's %s", got, ex.signature)
	}
	sent := time.Unix(1531420618, 0)
	header := func(ts, sig string) http.Header {
		h := http.Header{}
		if ts != "" {
			h.Set(slackapp.HeaderTimestamp, ts)
		}
		if sig != "" {
			h.Set(slackapp.HeaderSignature, sig)
		}
		return h
	}
	upper := "v0=" + strings.ToUpper(strings.TrimPrefix(ex.signature, "v0="))
	for _, c := range []struct {
		desc   string
		secret string
		header http.Header
		body   string
		now    time.Time
		ok     bool
	}{
		{"as sent", ex.secret, header(ex.timestamp, ex.signature), ex.body, sent.Add(30 * time.Second), true},
		{"clock a little behind", ex.secret, header(ex.timestamp, ex.signature), ex.body, sent.Add(-4 * time.Minute), true},
		{"just under five minutes late", ex.secret, header(ex.timestamp, ex.signature), ex.body, sent.Add(5*time.Minute - time.Second), true},
		{"six minutes late", ex.secret, header(ex.timestamp, ex.signature), ex.body, sent.Add(6 * time.Minute), false},
		{"six minutes early", ex.secret, header(ex.timestamp, ex.signature), ex.body, sent.Add(-6 * time.Minute), false},
		{"today", ex.secret, header(ex.timestamp, ex.signature), ex.body, start, false},
		{"body changed", ex.secret, header(ex.timestamp, ex.signature), strings.Replace(ex.body, "text=", "text=x", 1), sent, false},
		{"timestamp changed", ex.secret, header("1531420619", ex.signature), ex.body, sent, false},
		{"other secret", "not-the-secret", header(ex.timestamp, ex.signature), ex.body, sent, false},
		{"no secret configured", "", header(ex.timestamp, ex.signature), ex.body, sent, false},
		{"no signature", ex.secret, header(ex.timestamp, ""), ex.body, sent, false},
		{"no timestamp", ex.secret, header("", ex.signature), ex.body, sent, false},
		{"timestamp not a number", ex.secret, header("15314206l8", ex.signature), ex.body, sent, false},
		{"other version", ex.secret, header(ex.timestamp, "v1="+strings.TrimPrefix(ex.signature, "v0=")), ex.body, sent, false},
		{"short signature", ex.secret, header(ex.timestamp, ex.signature[:40]), ex.body, sent, false},
		{"upper-case hex", ex.secret, header(ex.timestamp, upper), ex.body, sent, false},
	} {
		err := slackapp.VerifyRequest(c.secret, c.header, []byte(c.body), c.now)
		if (err == nil) != c.ok {
			t.Errorf("%s: VerifyRequest = %v, want ok=%v", c.desc, err, c.ok)
		}
	}
}

// slackEnv is the bot behind its HTTP server, on a real SQLite file, with
// the fake Web API for views.open and response_url.
type slackEnv struct {
	db    *store.DB
	path  string
	clock *upgradebot.FakeClock
	api   *slackAPI
	slack *slackapp.App
	srv   *slackapp.Server
	wakes atomic.Int64
	logs  *syncBuffer
	typed atomic.Int64 // commands sent by command, each a new request
}

func newSlackEnv(tb testing.TB, api *slackAPI) *slackEnv {
	tb.Helper()
	e := &slackEnv{clock: upgradebot.NewFakeClock(start), api: api, path: filepath.Join(tb.TempDir(), "upgradebot.db")}
	db := openDesk(tb, e.path, e.clock)
	e.db = db
	e.logs = &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e.slack = &slackapp.App{Bot: &bot.Bot{Desk: db, Clock: e.clock, Logger: logger}, Logger: logger,
		Metrics: slackapp.NewMetrics(), Wake: func() { e.wakes.Add(1) }}
	if api != nil {
		e.slack.API = api.Client()
	}
	e.srv = &slackapp.Server{App: e.slack, SigningSecret: signingSecret, Clock: e.clock, Desk: db}
	return e
}

// responseURL is where Slack would take late and ephemeral replies.
func (e *slackEnv) responseURL() string {
	if e.api == nil {
		return "https://hooks.slack.invalid/commands/T0TEAM/1/x"
	}
	return e.api.ResponseURL()
}

// signed returns a POST of body to target signed as Slack signs it at ts.
func signed(tb testing.TB, target, body string, ts time.Time) *http.Request {
	tb.Helper()
	r, err := http.NewRequest(http.MethodPost, target, strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	if strings.HasSuffix(target, "/slack/events") {
		r.Header.Set("Content-Type", "application/json")
	} else {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	stamp := strconv.FormatInt(ts.Unix(), 10)
	r.Header.Set(slackapp.HeaderTimestamp, stamp)
	r.Header.Set(slackapp.HeaderSignature, slackapp.SignatureFor(signingSecret, stamp, []byte(body)))
	return r
}

// post sends a signed request through Server.ServeHTTP.
func (e *slackEnv) post(tb testing.TB, path, body string) *httptest.ResponseRecorder {
	tb.Helper()
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, signed(tb, "http://bot.test"+path, body, e.clock.Now()))
	return w
}

func (e *slackEnv) get(path string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	return w
}

func (e *slackEnv) commandBody(user, text string) string {
	return url.Values{
		"token": {"unused"}, "team_id": {"T0TEAM"}, "team_domain": {"hospital"}, "channel_id": {teamCh},
		"channel_name": {"upgrades"}, "user_id": {user}, "user_name": {"name-of-" + strings.ToLower(user)},
		"command": {"/upgrade"}, "text": {text}, "response_url": {e.responseURL()},
		"trigger_id": {"1234.5678.trigger-" + user}, "api_app_id": {"A0APP"},
	}.Encode()
}

// retrigger gives a request body (a slash command's form, or an
// interaction's payload) the trigger_id id: Slack gives every request a new
// one, and the bot runs each once.
func retrigger(tb testing.TB, body, id string) string {
	tb.Helper()
	v, err := url.ParseQuery(body)
	if err != nil {
		tb.Fatal(err)
	}
	if p := v.Get("payload"); p != "" {
		var payload map[string]any
		if err := json.Unmarshal([]byte(p), &payload); err != nil {
			tb.Fatal(err)
		}
		payload["trigger_id"] = id
		return payloadBody(tb, payload)
	}
	v.Set("trigger_id", id)
	return v.Encode()
}

// command runs /upgrade text as user, as a new request (a trigger_id of
// its own), and decodes the JSON reply.
func (e *slackEnv) command(tb testing.TB, user, text string) slack.Msg {
	tb.Helper()
	body := retrigger(tb, e.commandBody(user, text), fmt.Sprintf("1234.5678.trigger-%s-%d", user, e.typed.Add(1)))
	w := e.post(tb, "/slack/commands", body)
	if w.Code != http.StatusOK {
		tb.Fatalf("/upgrade %s: status %d: %s", text, w.Code, w.Body)
	}
	var msg slack.Msg
	if err := json.Unmarshal(w.Body.Bytes(), &msg); err != nil {
		tb.Fatalf("/upgrade %s: reply %q is not JSON: %v", text, w.Body, err)
	}
	return msg
}

func payloadBody(tb testing.TB, payload any) string {
	tb.Helper()
	b, err := json.Marshal(payload)
	if err != nil {
		tb.Fatal(err)
	}
	return url.Values{"payload": {string(b)}}.Encode()
}

// clickBody is a block_actions payload: user pressed the button actionID
// with value, in a message that has a response_url (empty for the App Home).
func clickBody(tb testing.TB, user, actionID, value, responseURL string) string {
	return payloadBody(tb, map[string]any{
		"type":         "block_actions",
		"user":         slackUser(user),
		"api_app_id":   "A0APP",
		"trigger_id":   "9999.1111.click-" + user,
		"response_url": responseURL,
		"container":    map[string]any{"type": "message", "message_ts": "1764147600.000001", "channel_id": "D0OWNER"},
		"actions": []any{map[string]any{
			"type": "button", "action_id": actionID, "block_id": "decision", "value": value,
			"text": map[string]any{"type": "plain_text", "text": "Press"}, "action_ts": "1764147601.000001",
		}},
	})
}

// submitBody is a view_submission of the modal callbackID with the state
// values[block][action].
func submitBody(tb testing.TB, user, callbackID, metadata string, values map[string]map[string]any) string {
	return payloadBody(tb, map[string]any{
		"type": "view_submission",
		"user": slackUser(user),
		"view": map[string]any{
			"id": "V0MODAL", "type": "modal", "callback_id": callbackID, "private_metadata": metadata,
			"state": map[string]any{"values": values},
		},
	})
}

// slackUser is the user object of an interaction payload, with the name
// newSlackEnv gave them.
func slackUser(id string) map[string]any {
	name := map[string]string{admin: "ann", owner: "olga", deleg: "dev", alice: "alice", bob: "bob"}[id]
	return map[string]any{"id": id, "username": name, "name": name, "team_id": "T0TEAM"}
}

func textValue(s string) map[string]any {
	return map[string]any{"type": "plain_text_input", "value": s}
}
func selected(v string) map[string]any {
	return map[string]any{"type": "static_select", "selected_option": map[string]any{"value": v, "text": map[string]any{"type": "plain_text", "text": v}}}
}

// snapshot sums up what the store holds, to show that a refused request
// wrote nothing.
func snapshot(tb testing.TB, db *store.DB) string {
	tb.Helper()
	ctx := context.Background()
	_, tasks, err := db.FindTasks(ctx, upgradebot.TaskFilter{})
	if err != nil {
		tb.Fatal(err)
	}
	audit, err := db.FindAudit(ctx, upgradebot.AuditFilter{Limit: 1 << 20})
	if err != nil {
		tb.Fatal(err)
	}
	msgs, err := db.CountMessages(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	ds, err := db.FindDecisions(ctx, upgradebot.DecisionFilter{})
	if err != nil {
		tb.Fatal(err)
	}
	people, err := db.People(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	return fmt.Sprintf("tasks=%d audit=%d outbox=%v decisions=%d people=%v", tasks, len(audit), msgs, len(ds), people)
}

// pending returns the pending outbox messages as "kind to: text", without
// marking them sent.
func pending(tb testing.TB, e *slackEnv) []string {
	tb.Helper()
	msgs, err := e.db.PendingMessages(context.Background(), e.clock.Now(), 0)
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		out = append(out, fmt.Sprintf("%s %s: %s", m.Kind, m.To, m.Text))
	}
	return out
}

// deliver runs the outbox worker once against the fake Web API, and
// returns what it posted to response_url.
func (e *slackEnv) deliver(tb testing.TB) []apiCall {
	tb.Helper()
	d := &slackapp.Deliverer{Desk: e.db, API: e.api.Client(), Bot: e.slack.Bot, Clock: e.clock, Logger: e.slack.Logger,
		HTTPClient: &http.Client{Timeout: 5 * time.Second}, Interval: -1, ChannelInterval: -1}
	if _, err := d.DeliverOnce(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return e.api.Responses()
}

func countPrefix(lines []string, prefix string) int {
	n := 0
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			n++
		}
	}
	return n
}

func TestSlashCommands(t *testing.T) {
	e := newSlackEnv(t, newSlackAPI(t))
	for _, c := range []struct {
		desc, user, text, responseType string
		want                           []string
		homes                          []string // home refreshes queued by this command
	}{
		{"add", alice, `add "Rebuild the order sets" due:2026-12-04 <@U0BOB|bob> prio:high`, slack.ResponseTypeEphemeral,
			[]string{"Added #1 Rebuild the order sets", "<@U0BOB>", "due Fri 4 Dec"}, []string{alice, bob}},
		{"list", bob, "list", slack.ResponseTypeEphemeral, []string{"*Open tasks* (1)", "#1 Rebuild the order sets"}, nil},
		{"list shared", bob, "list mine share", slack.ResponseTypeInChannel, []string{"*Your open tasks* (1)"}, nil},
		{"help", alice, "help", slack.ResponseTypeEphemeral, []string{"/upgrade", "add &lt;title&gt;"}, nil},
		{"refused", alice, "done 99", slack.ResponseTypeEphemeral, []string{"No task #99"}, nil},
		{"assign refreshes the taker's home and the former assignee's", alice, "assign 1 <@U0ALICE>", slack.ResponseTypeEphemeral, []string{"Assigned #1"}, []string{alice, bob}},
	} {
		before := pending(t, e)
		msg := e.command(t, c.user, c.text)
		if msg.ResponseType != c.responseType {
			t.Errorf("%s: response_type %q, want %q", c.desc, msg.ResponseType, c.responseType)
		}
		for _, w := range c.want {
			if !strings.Contains(msg.Text, w) {
				t.Errorf("%s: reply lacks %q:\n%s", c.desc, w, msg.Text)
			}
		}
		var homes []string
		for _, m := range pending(t, e)[len(before):] {
			if to, ok := strings.CutPrefix(m, "home "); ok {
				homes = append(homes, strings.TrimSuffix(to, ": "))
			}
		}
		if strings.Join(homes, ",") != strings.Join(c.homes, ",") {
			t.Errorf("%s: home refreshes queued for %v, want %v", c.desc, homes, c.homes)
		}
		// Mark everything sent so that the next command's refreshes show.
		outbox(t, e.db, e.clock)
	}
	if n := len(e.api.Calls("")); n != 0 {
		t.Errorf("commands called the Web API %d times; replies go in the HTTP response", n)
	}
	// Logs name the command and the user, never what they typed.
	for _, typed := range []string{"Rebuild", "order sets", "mine share", "99"} {
		if strings.Contains(e.logs.String(), typed) {
			t.Errorf("the logs hold typed text %q:\n%s", typed, e.logs)
		}
	}
	people, err := e.db.People(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if people[alice] != "name-of-u0alice" {
		t.Errorf("user_name not remembered: %v", people)
	}
}

func TestRefusedRequestsWriteNothing(t *testing.T) {
	e := newSlackEnv(t, newSlackAPI(t))
	body := e.commandBody(alice, "add Should never exist")
	before := snapshot(t, e.db)

	forged := signed(t, "http://bot.test/slack/commands", body, e.clock.Now())
	forged.Header.Set(slackapp.HeaderSignature, slackapp.SignatureFor("someone-elses-secret", forged.Header.Get(slackapp.HeaderTimestamp), []byte(body)))
	unsigned := signed(t, "http://bot.test/slack/commands", body, e.clock.Now())
	unsigned.Header.Del(slackapp.HeaderSignature)
	noStamp := signed(t, "http://bot.test/slack/commands", body, e.clock.Now())
	noStamp.Header.Del(slackapp.HeaderTimestamp)
	replayed := signed(t, "http://bot.test/slack/commands", body, e.clock.Now().Add(-6*time.Minute))
	tampered := signed(t, "http://bot.test/slack/commands", body, e.clock.Now())
	tampered.Body = io.NopCloser(strings.NewReader(strings.Replace(body, "never", "NEVER", 1)))
	big := e.commandBody(alice, "add "+strings.Repeat("x", 2<<20))
	tooBig := signed(t, "http://bot.test/slack/commands", big, e.clock.Now())
	click := signed(t, "http://bot.test/slack/interactive", clickBody(t, owner, slackapp.ActionApprove, "1", e.responseURL()), e.clock.Now().Add(-6*time.Minute))
	event := signed(t, "http://bot.test/slack/events", `{"type":"event_callback","event_id":"Ev0FORGED","event":{"type":"app_home_opened","user":"U0ALICE","tab":"home"}}`, e.clock.Now())
	event.Header.Set(slackapp.HeaderSignature, "v0="+strings.Repeat("0", 64))

	for _, c := range []struct {
		desc string
		req  *http.Request
		code int
	}{
		{"wrong secret", forged, http.StatusUnauthorized},
		{"no signature", unsigned, http.StatusUnauthorized},
		{"no timestamp", noStamp, http.StatusUnauthorized},
		{"six minutes old", replayed, http.StatusUnauthorized},
		{"body changed after signing", tampered, http.StatusUnauthorized},
		{"body over the cap", tooBig, http.StatusRequestEntityTooLarge},
		{"stale click", click, http.StatusUnauthorized},
		{"forged event", event, http.StatusUnauthorized},
	} {
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, c.req)
		if w.Code != c.code {
			t.Errorf("%s: status %d, want %d", c.desc, w.Code, c.code)
		}
		if strings.Contains(w.Body.String(), "bot:") || strings.Contains(w.Body.String(), "v0") {
			t.Errorf("%s: the refusal says too much: %q", c.desc, w.Body)
		}
	}
	if after := snapshot(t, e.db); after != before {
		t.Errorf("refused requests changed the store:\nbefore %s\nafter  %s", before, after)
	}
	if n := len(e.api.Calls("")); n != 0 {
		t.Errorf("refused requests called the Web API %d times", n)
	}
	if e.wakes.Load() != 0 {
		t.Errorf("refused requests woke the outbox worker")
	}
	// The same command, correctly signed, goes through.
	if msg := e.command(t, alice, "add Should exist"); !strings.Contains(msg.Text, "Added #1") {
		t.Errorf("signed add: %q", msg.Text)
	}
}

func TestSSLCheck(t *testing.T) {
	e := newSlackEnv(t, nil)
	w := e.post(t, "/slack/commands", "ssl_check=1&token=unused")
	if w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Errorf("ssl_check: %d %q, want 200 and no body", w.Code, w.Body)
	}
}

func TestURLVerification(t *testing.T) {
	e := newSlackEnv(t, nil)
	w := e.post(t, "/slack/events", `{"token":"unused","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`)
	var got struct{ Challenge string }
	if err := json.Unmarshal(w.Body.Bytes(), &got); w.Code != http.StatusOK || err != nil {
		t.Fatalf("url_verification: %d %q (%v)", w.Code, w.Body, err)
	}
	if got.Challenge != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Errorf("challenge answered %q", got.Challenge)
	}
}

func homeOpened(eventID, user string) string {
	return fmt.Sprintf(`{"token":"unused","team_id":"T0TEAM","api_app_id":"A0APP","type":"event_callback","event_id":%q,"event_time":1764169200,
		"event":{"type":"app_home_opened","user":%q,"channel":"D0HOME","tab":"home","event_ts":"1764169200.000100"}}`, eventID, user)
}

func TestAppHomeOpenedOnce(t *testing.T) {
	e := newSlackEnv(t, nil)
	first := e.post(t, "/slack/events", homeOpened("Ev0HOME1", alice))
	retry := signed(t, "http://bot.test/slack/events", homeOpened("Ev0HOME1", alice), e.clock.Now())
	retry.Header.Set("X-Slack-Retry-Num", "1")
	retry.Header.Set("X-Slack-Retry-Reason", "http_timeout")
	second := httptest.NewRecorder()
	e.srv.ServeHTTP(second, retry)
	if first.Code != http.StatusOK || second.Code != http.StatusOK {
		t.Fatalf("statuses %d and %d, want 200 for both", first.Code, second.Code)
	}
	got := pending(t, e)
	if len(got) != 1 || got[0] != "home U0ALICE: " {
		t.Errorf("queued %q, want one home refresh for alice", got)
	}
	if e.wakes.Load() != 1 {
		t.Errorf("worker woken %d times, want 1", e.wakes.Load())
	}
	// Deliver it; a second duplicate still does not queue another.
	outbox(t, e.db, e.clock)
	e.post(t, "/slack/events", homeOpened("Ev0HOME1", alice))
	if got := pending(t, e); len(got) != 0 {
		t.Errorf("a duplicate after delivery queued %q", got)
	}
	// The messages tab, and events the bot does not use, are recorded and ignored.
	w := e.post(t, "/slack/events", strings.Replace(homeOpened("Ev0MSGS", alice), `"tab":"home"`, `"tab":"messages"`, 1))
	w2 := e.post(t, "/slack/events", `{"type":"event_callback","event_id":"Ev0ODD","event":{"type":"made_up_event","user":"U0ALICE"}}`)
	if w.Code != http.StatusOK || w2.Code != http.StatusOK {
		t.Errorf("ignored events answered %d and %d", w.Code, w2.Code)
	}
	if got := pending(t, e); len(got) != 0 {
		t.Errorf("ignored events queued %q", got)
	}
	for _, id := range []string{"Ev0MSGS", "Ev0ODD"} {
		if fresh, err := e.db.RecordEvent(context.Background(), id, nil); err != nil || fresh {
			t.Errorf("event %s was not recorded (fresh=%v, %v)", id, fresh, err)
		}
	}
}

// viewOf decodes the view a views.open call carried.
func viewOf(t *testing.T, c apiCall) (callbackID, metadata string, blocks []map[string]any) {
	t.Helper()
	view, _ := c.JSON["view"].(map[string]any)
	if view == nil {
		t.Fatalf("views.open without a view: %v", c.JSON)
	}
	for _, b := range view["blocks"].([]any) {
		blocks = append(blocks, b.(map[string]any))
	}
	callbackID, _ = view["callback_id"].(string)
	metadata, _ = view["private_metadata"].(string)
	return callbackID, metadata, blocks
}

func TestAddWithoutTextOpensModal(t *testing.T) {
	api := newSlackAPI(t)
	e := newSlackEnv(t, api)
	if r := e.slack.Bot.Handle(context.Background(), bot.Request{User: alice, Text: "release add MedCore 2027.1 ga:2027-01-20"}); r.Failed {
		t.Fatal(r.Text)
	}
	for i, text := range []string{"", "add", "  ADD "} {
		w := e.post(t, "/slack/commands", e.commandBody(alice, text))
		if w.Code != http.StatusOK || w.Body.Len() != 0 {
			t.Errorf("%q: %d %q, want an empty 200", text, w.Code, w.Body)
		}
		calls := api.Calls("views.open")
		if len(calls) != i+1 {
			t.Fatalf("%q: %d views.open calls, want %d", text, len(calls), i+1)
		}
		c := calls[i]
		if c.Param("trigger_id") != "1234.5678.trigger-U0ALICE" {
			t.Errorf("views.open with trigger_id %q", c.Param("trigger_id"))
		}
		if c.Token != "xoxb-test-token" {
			t.Errorf("views.open with token %q", c.Token)
		}
		cb, _, blocks := viewOf(t, c)
		if cb != slackapp.CallbackAddTask {
			t.Errorf("modal callback_id %q", cb)
		}
		types := map[string]string{}
		for _, b := range blocks {
			el := b["element"].(map[string]any)
			types[b["block_id"].(string)] = el["type"].(string)
		}
		want := map[string]string{slackapp.BlockTitle: "plain_text_input", slackapp.BlockAssignee: "users_select", slackapp.BlockDue: "datepicker",
			slackapp.BlockKind: "static_select", slackapp.BlockPriority: "static_select", slackapp.BlockRelease: "static_select"}
		if fmt.Sprint(types) != fmt.Sprint(want) {
			t.Errorf("modal blocks %v, want %v", types, want)
		}
		if !strings.Contains(c.Param("view"), "medcore-2027.1") {
			t.Errorf("the release menu lacks medcore-2027.1: %s", c.Param("view"))
		}
	}
	// views.open refused (the trigger expired): the user is told what to type instead.
	api.ScriptError("views.open", "expired_trigger_id")
	msg := e.command(t, alice, "add")
	if !strings.Contains(msg.Text, "/upgrade add &lt;title&gt;") || msg.ResponseType != slack.ResponseTypeEphemeral {
		t.Errorf("failed views.open answered %+v", msg)
	}
}

func TestAddTaskModalSubmit(t *testing.T) {
	e := newSlackEnv(t, newSlackAPI(t))
	ctx := context.Background()
	if r := e.slack.Bot.Handle(ctx, bot.Request{User: alice, Text: "release add MedCore 2027.1 ga:2027-01-20"}); r.Failed {
		t.Fatal(r.Text)
	}
	outbox(t, e.db, e.clock)
	full := func(title string) map[string]map[string]any {
		return map[string]map[string]any{
			slackapp.BlockTitle:    {slackapp.InputTitle: textValue(title)},
			slackapp.BlockAssignee: {slackapp.InputAssignee: map[string]any{"type": "users_select", "selected_user": bob}},
			slackapp.BlockDue:      {slackapp.InputDue: map[string]any{"type": "datepicker", "selected_date": "2026-12-04"}},
			slackapp.BlockKind:     {slackapp.InputKind: selected("cleanup")},
			slackapp.BlockPriority: {slackapp.InputPriority: selected("high")},
			slackapp.BlockRelease:  {slackapp.InputRelease: selected("medcore-2027.1")},
		}
	}
	for _, c := range []struct {
		desc   string
		values map[string]map[string]any
		errors map[string]string // block id -> part of the message; nil: accepted
	}{
		{"empty title", full("   "), map[string]string{slackapp.BlockTitle: "The title is empty."}},
		{"title too long", full(strings.Repeat("x", 201)), map[string]string{slackapp.BlockTitle: "201 characters"}},
		{"past due date", func() map[string]map[string]any {
			v := full("Late")
			v[slackapp.BlockDue] = map[string]any{slackapp.InputDue: map[string]any{"type": "datepicker", "selected_date": "2026-11-25"}}
			return v
		}(), map[string]string{slackapp.BlockDue: "already past"}},
		{"forged kind", func() map[string]map[string]any {
			v := full("Odd")
			v[slackapp.BlockKind] = map[string]any{slackapp.InputKind: selected("party")}
			return v
		}(), map[string]string{slackapp.BlockKind: "party"}},
		{"unknown release", func() map[string]map[string]any {
			v := full("Odd")
			v[slackapp.BlockRelease] = map[string]any{slackapp.InputRelease: selected("nope-1")}
			return v
		}(), map[string]string{slackapp.BlockRelease: "nope-1"}},
		{"valid", full("Rebuild the order sets"), nil},
		{"only a title", map[string]map[string]any{slackapp.BlockTitle: {slackapp.InputTitle: textValue("Call the vendor")}}, nil},
	} {
		before := snapshot(t, e.db)
		w := e.post(t, "/slack/interactive", submitBody(t, alice, slackapp.CallbackAddTask, "", c.values))
		if w.Code != http.StatusOK {
			t.Fatalf("%s: status %d %q", c.desc, w.Code, w.Body)
		}
		if c.errors == nil {
			if w.Body.Len() != 0 {
				t.Errorf("%s: answered %q, want an empty 200 (closes the modal)", c.desc, w.Body)
			}
			continue
		}
		var resp slack.ViewSubmissionResponse
		if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
			t.Fatalf("%s: %q: %v", c.desc, w.Body, err)
		}
		if resp.ResponseAction != slack.RAErrors || len(resp.Errors) != len(c.errors) {
			t.Errorf("%s: answered %q, want errors on %v", c.desc, w.Body, c.errors)
		}
		for block, want := range c.errors {
			if !strings.Contains(resp.Errors[block], want) {
				t.Errorf("%s: error on %s is %q, want %q", c.desc, block, resp.Errors[block], want)
			}
		}
		if after := snapshot(t, e.db); after != before {
			t.Errorf("%s: a refused submission changed the store:\n%s\n%s", c.desc, before, after)
		}
	}
	tasks, total, err := e.db.FindTasks(ctx, upgradebot.TaskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if total != 2 {
		t.Fatalf("%d tasks, want 2", total)
	}
	byTitle := map[string]*upgradebot.Task{}
	for _, tk := range tasks {
		byTitle[tk.Title] = tk
	}
	got := byTitle["Rebuild the order sets"]
	if got == nil || got.Assignee != bob || got.Due.String() != "2026-12-04" || got.Kind != upgradebot.KindCleanup ||
		got.Priority != upgradebot.PriorityHigh || got.Release != "medcore-2027.1" || got.CreatedBy != alice {
		t.Errorf("task from the modal: %+v", got)
	}
	if tk := byTitle["Call the vendor"]; tk == nil || tk.Kind != upgradebot.KindUpgrade || tk.Priority != upgradebot.PriorityNormal || tk.Assignee != "" {
		t.Errorf("task with defaults: %+v", tk)
	}
	msgs := pending(t, e)
	if countPrefix(msgs, "dm U0BOB: <@U0ALICE> assigned you") != 1 || countPrefix(msgs, "home U0ALICE") != 1 || countPrefix(msgs, "home U0BOB") != 1 {
		t.Errorf("after the modal, queued:\n%s", strings.Join(msgs, "\n"))
	}
}

// decisionEnv has an owner and a pending decision #1 asked by alice;
// withDelegate puts the owner away today with deleg deciding.
func decisionEnv(t *testing.T, withDelegate bool) (*slackEnv, *slackAPI) {
	t.Helper()
	api := newSlackAPI(t)
	e := newSlackEnv(t, api)
	steps := []bot.Request{{User: admin, Text: "owner <@U0OWNER>"}}
	if withDelegate {
		steps = append(steps, bot.Request{User: owner, Text: "away today..fri delegate:<@U0DELEG>"})
	}
	steps = append(steps, bot.Request{User: alice, Text: "decide Consolidate the two upgrades into one go-live?"})
	for _, req := range steps {
		if r := e.slack.Bot.Handle(context.Background(), req); r.Failed {
			t.Fatal(r.Text)
		}
	}
	outbox(t, e.db, e.clock)
	return e, api
}

func decision(t *testing.T, e *slackEnv, id int64) *upgradebot.Decision {
	t.Helper()
	ds, err := e.db.FindDecisions(context.Background(), upgradebot.DecisionFilter{ID: id})
	if err != nil || len(ds) != 1 {
		t.Fatalf("decision %d: %v %v", id, ds, err)
	}
	return ds[0]
}

func TestApproveButton(t *testing.T) {
	e, _ := decisionEnv(t, false)
	w := e.post(t, "/slack/interactive", clickBody(t, owner, slackapp.ActionApprove, "1", e.responseURL()))
	if w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Fatalf("approve: %d %q", w.Code, w.Body)
	}
	if d := decision(t, e, 1); d.Status != upgradebot.DecisionApproved || d.DecidedBy != owner {
		t.Errorf("after the owner's click: %+v", d)
	}
	msgs := pending(t, e)
	for _, want := range []string{"update U0OWNER: *Decision #1*", "dm U0ALICE: Decision #1 approved by <@U0OWNER>", "post C0TEAM: Decision #1 approved", "home U0OWNER"} {
		if countPrefix(msgs, want) != 1 {
			t.Errorf("queued no %q:\n%s", want, strings.Join(msgs, "\n"))
		}
	}
	if countPrefix(msgs, "response") != 0 {
		t.Errorf("a successful click was answered through response_url:\n%s", strings.Join(msgs, "\n"))
	}
}

func TestApproveButtonWrongUser(t *testing.T) {
	e, _ := decisionEnv(t, false)
	before := snapshot(t, e.db)
	w := e.post(t, "/slack/interactive", clickBody(t, bob, slackapp.ActionApprove, "1", e.responseURL()))
	if w.Code != http.StatusOK {
		t.Fatalf("click: %d %q", w.Code, w.Body)
	}
	if d := decision(t, e, 1); d.Status != upgradebot.DecisionPending {
		t.Errorf("a stranger's click decided: %+v", d)
	}
	msgs := pending(t, e)
	want := "response " + e.responseURL() + ": Only the decision owner <@U0OWNER>"
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0], want) {
		t.Errorf("queued %q, want only the refusal %q", msgs, want)
	}
	// The outbox worker posts it, ephemeral, to the button's response_url.
	posted := e.deliver(t)
	if len(posted) != 1 || posted[0].Param("response_type") != slack.ResponseTypeEphemeral ||
		!strings.Contains(posted[0].Param("text"), "Only the decision owner") {
		t.Errorf("posted to response_url: %+v", posted)
	}
	// Apart from the refusal in the outbox, nothing changed.
	after := snapshot(t, e.db)
	if a, b := strings.SplitN(after, " outbox=", 2)[0], strings.SplitN(before, " outbox=", 2)[0]; a != b {
		t.Errorf("a refused click changed the store:\n%s\n%s", before, after)
	}
	if e.wakes.Load() != 1 {
		t.Errorf("worker woken %d times, want 1 (for the refusal)", e.wakes.Load())
	}
}

// TestRacingClicks has the owner and the delegate press Approve on the same
// DM at the same moment, through the real HTTP server: one decision, and
// the other is told who decided and when.
func TestRacingClicks(t *testing.T) {
	e, _ := decisionEnv(t, true)
	ts := httptest.NewServer(e.srv)
	defer ts.Close()
	if d := decision(t, e, 1); d.RoutedTo != deleg {
		t.Fatalf("decision routed to %s, want the delegate", d.RoutedTo)
	}
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i, who := range []string{owner, deleg} {
		wg.Go(func() {
			req := signed(t, ts.URL+"/slack/interactive", clickBody(t, who, slackapp.ActionApprove, "1", e.responseURL()), e.clock.Now())
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			codes[i] = resp.StatusCode
		})
	}
	wg.Wait()
	if codes[0] != http.StatusOK || codes[1] != http.StatusOK {
		t.Fatalf("statuses %v", codes)
	}
	d := decision(t, e, 1)
	if d.Status != upgradebot.DecisionApproved || (d.DecidedBy != owner && d.DecidedBy != deleg) {
		t.Fatalf("decision after the race: %+v", d)
	}
	msgs := pending(t, e)
	if n := countPrefix(msgs, "update "); n != 1 {
		t.Errorf("%d DM updates, want 1:\n%s", n, strings.Join(msgs, "\n"))
	}
	var refusals []string
	for _, m := range msgs {
		if strings.HasPrefix(m, "response ") {
			refusals = append(refusals, m)
		}
	}
	want := fmt.Sprintf("Decision #1 was already approved by %s at 2026-11-26", upgradebot.Mention(d.DecidedBy))
	if len(refusals) != 1 || !strings.Contains(refusals[0], want) {
		t.Errorf("refusals %q, want one saying %q", refusals, want)
	}
}

func TestRejectButtonAndReason(t *testing.T) {
	e, api := decisionEnv(t, false)
	w := e.post(t, "/slack/interactive", clickBody(t, owner, slackapp.ActionReject, "1", e.responseURL()))
	if w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Fatalf("reject click: %d %q", w.Code, w.Body)
	}
	calls := api.Calls("views.open")
	if len(calls) != 1 || calls[0].Param("trigger_id") != "9999.1111.click-U0OWNER" {
		t.Fatalf("views.open calls: %+v", calls)
	}
	// Issue 15: the form restates the question, then asks for the reason.
	cb, meta, blocks := viewOf(t, calls[0])
	if cb != slackapp.CallbackReject || meta != "1" || len(blocks) != 2 || blocks[1]["block_id"] != slackapp.BlockReason ||
		!strings.Contains(texts(blocks[0]), ">Consolidate the two upgrades into one go-live?") {
		t.Fatalf("reject modal: %s %s %v", cb, meta, blocks)
	}
	if el := blocks[1]["element"].(map[string]any); el["multiline"] != true {
		t.Errorf("reason input is not multiline: %v", el)
	}
	if d := decision(t, e, 1); d.Status != upgradebot.DecisionPending {
		t.Fatalf("opening the modal decided: %+v", d)
	}

	reason := func(s string) map[string]map[string]any {
		return map[string]map[string]any{slackapp.BlockReason: {slackapp.InputReason: textValue(s)}}
	}
	for _, c := range []struct {
		desc, user, reason, metadata, want string
	}{
		{"empty reason", owner, "  ", "1", "Say why"},
		{"not the decider", bob, "no", "1", "Only the decision owner"},
		{"no such decision", owner, "no", "42", "No decision #42"},
		{"rejected", owner, "Clinics need the time back.", "1", ""},
		{"already decided", owner, "again", "1", "already rejected by <@U0OWNER>"},
	} {
		w := e.post(t, "/slack/interactive", submitBody(t, c.user, slackapp.CallbackReject, c.metadata, reason(c.reason)))
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d %q", c.desc, w.Code, w.Body)
		}
		if c.want == "" {
			if w.Body.Len() != 0 {
				t.Errorf("%s: answered %q, want an empty 200", c.desc, w.Body)
			}
			continue
		}
		var resp slack.ViewSubmissionResponse
		if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil || resp.ResponseAction != slack.RAErrors ||
			!strings.Contains(resp.Errors[slackapp.BlockReason], c.want) {
			t.Errorf("%s: answered %q, want an error on the reason with %q", c.desc, w.Body, c.want)
		}
	}
	d := decision(t, e, 1)
	if d.Status != upgradebot.DecisionRejected || d.DecidedBy != owner || d.Comment != "Clinics need the time back." {
		t.Errorf("after the reason: %+v", d)
	}
	msgs := pending(t, e)
	if countPrefix(msgs, "dm U0ALICE: Decision #1 rejected by <@U0OWNER>: Clinics need the time back.") != 1 || countPrefix(msgs, "home U0OWNER") != 1 {
		t.Errorf("queued:\n%s", strings.Join(msgs, "\n"))
	}
}

func TestDoneButton(t *testing.T) {
	e := newSlackEnv(t, newSlackAPI(t))
	ctx := context.Background()
	for _, text := range []string{"add Read the release notes <@U0BOB>", "add Mine <@U0ALICE>"} {
		if r := e.slack.Bot.Handle(ctx, bot.Request{User: alice, Text: text}); r.Failed {
			t.Fatal(r.Text)
		}
	}
	outbox(t, e.db, e.clock)
	// App Home buttons come without a response_url.
	w := e.post(t, "/slack/interactive", clickBody(t, bob, slackapp.ActionDone, "1", ""))
	if w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Fatalf("done: %d %q", w.Code, w.Body)
	}
	tk, err := e.db.FindTaskByID(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Status != upgradebot.StatusDone || tk.ClosedBy != bob {
		t.Errorf("after Done: %+v", tk)
	}
	if got := pending(t, e); len(got) != 1 || got[0] != "home U0BOB: " {
		t.Errorf("queued %q, want bob's home refresh", got)
	}
	outbox(t, e.db, e.clock)
	// Pressed again from a stale home: refused, nothing changes, the home is refreshed.
	e.post(t, "/slack/interactive", retrigger(t, clickBody(t, bob, slackapp.ActionDone, "1", ""), "9999.1111.click-U0BOB-2"))
	if got := pending(t, e); len(got) != 1 || got[0] != "home U0BOB: " {
		t.Errorf("second press queued %q, want only bob's home refresh", got)
	}
	// Done on someone else's task refreshes their home too.
	outbox(t, e.db, e.clock)
	e.post(t, "/slack/interactive", retrigger(t, clickBody(t, bob, slackapp.ActionDone, "2", ""), "9999.1111.click-U0BOB-3"))
	if got := pending(t, e); strings.Join(got, "|") != "home U0BOB: |home U0ALICE: " {
		t.Errorf("queued %q, want bob's and alice's home refreshes", got)
	}
}

// TestSlowCommandRepliesLater holds SQLite's write lock from another
// connection so a command cannot finish in time: it is acknowledged at once
// with WorkingText and its reply is queued for response_url when it is done.
func TestSlowCommandRepliesLater(t *testing.T) {
	e := newSlackEnv(t, newSlackAPI(t))
	e.slack.ReplyWithin = 20 * time.Millisecond
	ctx := context.Background()
	lock, err := sql.Open("sqlite", "file:"+e.path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	conn, err := lock.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	msg := e.command(t, alice, "add Write the cut-over plan")
	if msg.Text != slackapp.WorkingText || msg.ResponseType != slack.ResponseTypeEphemeral {
		t.Errorf("slow command answered %+v, want %q", msg, slackapp.WorkingText)
	}
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	e.slack.Wait()
	got := pending(t, e)
	want := "response " + e.responseURL() + ": Added #1 Write the cut-over plan"
	if countPrefix(got, want) != 1 || countPrefix(got, "home U0ALICE") != 1 {
		t.Errorf("queued:\n%s\nwant %q and a home refresh", strings.Join(got, "\n"), want)
	}
	if e.wakes.Load() < 1 {
		t.Errorf("the worker was not woken for the late reply")
	}
	posted := e.deliver(t)
	if len(posted) != 1 || !strings.Contains(posted[0].Param("text"), "Added #1 Write the cut-over plan") {
		t.Errorf("posted to response_url: %+v", posted)
	}
	if logs := e.logs.String(); !strings.Contains(logs, "command=add") || strings.Contains(logs, "cut-over") {
		t.Errorf("logs should name the command and nothing typed:\n%s", logs)
	}
}

func TestHealthz(t *testing.T) {
	e := newSlackEnv(t, nil)
	if w := e.get("/healthz"); w.Code != http.StatusOK || w.Body.String() != "ok\ndatabase: SQLite, 1 connection open, 0 in use\n" {
		t.Errorf("healthz: %d %q", w.Code, w.Body)
	}
	if w := e.get("/slack/commands"); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET /slack/commands: %d", w.Code)
	}
	e.db.Close()
	w := e.get("/healthz")
	if w.Code != http.StatusServiceUnavailable || strings.Contains(w.Body.String(), "sql") ||
		!strings.Contains(w.Body.String(), "database: SQLite, 0 connections open") {
		t.Errorf("healthz with the database closed: %d %q", w.Code, w.Body)
	}
	if w := e.get("/metrics"); w.Code != http.StatusServiceUnavailable {
		t.Errorf("metrics with the database closed: %d", w.Code)
	}
	// A command now fails inside; the user gets a generic reply, not internals.
	msg := e.command(t, alice, "add Anything")
	if !strings.Contains(msg.Text, "Something went wrong") || strings.Contains(msg.Text, "sql") {
		t.Errorf("command with the database closed answered %q", msg.Text)
	}
}

func TestMetrics(t *testing.T) {
	var nilMetrics *slackapp.Metrics // counts nothing, and does not panic
	nilMetrics.Request("/healthz", 200, time.Second)
	nilMetrics.Delivered(upgradebot.MessageDM)
	nilMetrics.Retried(upgradebot.MessageDM)
	nilMetrics.Failed(upgradebot.MessageDM)

	e := newSlackEnv(t, nil)
	e.command(t, alice, "add One")
	e.command(t, alice, "list")
	bad := signed(t, "http://bot.test/slack/commands", "text=x", e.clock.Now().Add(-time.Hour))
	e.srv.ServeHTTP(httptest.NewRecorder(), bad)
	e.get("/healthz")
	e.get("/nowhere")
	w := e.get("/metrics")
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
		t.Fatalf("metrics: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	for _, want := range []string{
		`upgradebot_http_requests_total{route="/slack/commands",code="200"} 2`,
		`upgradebot_http_requests_total{route="/slack/commands",code="401"} 1`,
		`upgradebot_http_requests_total{route="/healthz",code="200"} 1`,
		`upgradebot_http_requests_total{route="other",code="404"} 1`,
		`upgradebot_http_request_seconds_count{route="/slack/commands"} 3`,
		`upgradebot_outbox_messages{status="pending"} 1`, // alice's home refresh
		`upgradebot_outbox_messages{status="sent"} 0`,
	} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("metrics lack %s:\n%s", want, w.Body)
		}
	}
}

// TestPanicsAreContained runs a server whose bot has no desk, so every
// handler panics: the answer is a plain 500 (or a generic reply) and the
// process survives.
func TestPanicsAreContained(t *testing.T) {
	e := newSlackEnv(t, nil)
	broken := &slackapp.App{Bot: &bot.Bot{Clock: e.clock}, Metrics: slackapp.NewMetrics()}
	e.srv = &slackapp.Server{App: broken, SigningSecret: signingSecret, Clock: e.clock}
	w := e.post(t, "/slack/interactive", clickBody(t, owner, slackapp.ActionApprove, "1", ""))
	if w.Code != http.StatusInternalServerError || strings.TrimSpace(w.Body.String()) != "internal error" {
		t.Errorf("panicking click: %d %q", w.Code, w.Body)
	}
	msg := e.command(t, alice, "list")
	if !strings.Contains(msg.Text, "Something went wrong") {
		t.Errorf("panicking command answered %q", msg.Text)
	}
	if w := e.get("/healthz"); w.Code != http.StatusInternalServerError {
		t.Errorf("panicking healthz: %d", w.Code)
	}
}

// BenchmarkSignedSlashCommand is one signed `/upgrade add` through the HTTP
// handler: signature check, form parsing, the command layer, a write
// transaction in SQLite (task, audit row, assignee DM), a second one for the
// App Home refreshes, and the JSON reply. Every 50 commands the outbox is
// marked sent, untimed, as a running outbox worker would keep it short.
func BenchmarkSignedSlashCommand(b *testing.B) {
	e := newSlackEnv(b, nil)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if i%50 == 0 {
			b.StopTimer()
			outbox(b, e.db, e.clock)
			b.StartTimer()
		}
		body := retrigger(b, e.commandBody(alice, fmt.Sprintf(`add "Bench task %d" due:fri <@U0BOB|bob> prio:high`, i)), fmt.Sprintf("1234.5678.bench-%d", i))
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, signed(b, "http://bot.test/slack/commands", body, e.clock.Now()))
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Added #") {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
}

// tickingClock moves a millisecond each time it is read. The store reads
// the clock once per transaction, so rows stamped with one time were
// written by one transaction.
type tickingClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *tickingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Millisecond)
	return c.now
}

// TestSlashAssignCommitsOnce: a signed /upgrade add that gives Bob work
// commits the task, its audit row, Bob's DM and the App Home refreshes of
// Alice (who typed it) and Bob in one transaction, and the adapter writes
// nothing of its own afterwards.
func TestSlashAssignCommitsOnce(t *testing.T) {
	ctx := context.Background()
	clock := &tickingClock{now: start}
	db := openDesk(t, filepath.Join(t.TempDir(), "upgradebot.db"), clock)
	app := &slackapp.App{Bot: &bot.Bot{Desk: db, Clock: clock}}
	srv := &slackapp.Server{App: app, SigningSecret: signingSecret, Clock: clock, Desk: db}
	outboxAll(t, db, clock) // whatever setting up the desk queued

	body := (&slackEnv{}).commandBody(alice, "add Rebuild the order sets <@U0BOB|bob> due:fri")
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, signed(t, "http://bot.test/slack/commands", body, clock.Now()))
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Added #1 Rebuild the order sets") {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	task, err := db.FindTaskByID(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	at := task.CreatedAt
	audit, err := db.FindAudit(ctx, upgradebot.AuditFilter{Entity: "task", EntityID: 1})
	if err != nil || len(audit) != 1 || audit[0].Action != "task.add" || !audit[0].At.Equal(at) {
		t.Errorf("audit %+v (%v), want task.add at %v", audit, err, at)
	}
	msgs, err := db.PendingMessages(ctx, at.Add(time.Hour), 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range msgs {
		got = append(got, string(m.Kind)+" "+m.To)
		if !m.CreatedAt.Equal(at) {
			t.Errorf("%s to %s queued at %v, not in the task's transaction (%v)", m.Kind, m.To, m.CreatedAt, at)
		}
	}
	slices.Sort(got)
	if want := []string{"dm " + bob, "home " + alice, "home " + bob}; !slices.Equal(got, want) {
		t.Errorf("queued %v, want %v", got, want)
	}
}
