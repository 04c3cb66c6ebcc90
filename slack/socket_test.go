package slack_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
	slackapp "github.com/upgradebot/upgradebot/slack"
)

// socketServer is a fake of Slack's Socket Mode WebSocket endpoint: the test
// sends envelopes down the current connection and reads the bot's
// acknowledgements back.
type socketServer struct {
	*httptest.Server
	t     *testing.T
	conns chan *websocket.Conn
	acks  chan map[string]any

	mu   sync.Mutex
	conn *websocket.Conn
}

func newSocketServer(t *testing.T) *socketServer {
	s := &socketServer{t: t, conns: make(chan *websocket.Conn, 4), acks: make(chan map[string]any, 16)}
	// slack-go sends the Origin Slack expects; this fake accepts any.
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			t.Logf("upgrade: %v", err)
			return
		}
		c.WriteJSON(map[string]any{"type": "hello", "num_connections": 1, "connection_info": map[string]any{"app_id": "A0TEST"}})
		s.mu.Lock()
		s.conn = c
		s.mu.Unlock()
		s.conns <- c
		for {
			var ack map[string]any
			if err := c.ReadJSON(&ack); err != nil {
				return
			}
			s.acks <- ack
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// wsURL is what apps.connections.open answers with.
func (s *socketServer) wsURL() string { return "ws" + strings.TrimPrefix(s.URL, "http") + "/link" }

// connected waits for the bot to (re)connect.
func (s *socketServer) connected() {
	s.t.Helper()
	select {
	case <-s.conns:
	case <-time.After(10 * time.Second):
		s.t.Fatal("the bot did not connect")
	}
}

// send writes an envelope on the current connection.
func (s *socketServer) send(v any) {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.conn.WriteJSON(v); err != nil {
		s.t.Fatal(err)
	}
}

// ack waits for the acknowledgement of envelope id.
func (s *socketServer) ack(id string) map[string]any {
	s.t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case a := <-s.acks:
			if a["envelope_id"] == id {
				return a
			}
		case <-timeout:
			s.t.Fatalf("no acknowledgement for envelope %s", id)
		}
	}
}

func envelope(id, typ string, payload any) map[string]any {
	return map[string]any{"envelope_id": id, "type": typ, "accepts_response_payload": true, "payload": payload}
}

// startSocket runs the bot over Socket Mode against the fakes.
func startSocket(t *testing.T, api *slackAPI, b *bot.Bot) (context.CancelFunc, chan error) {
	client := slack.New("xoxb-test-token", slack.OptionAPIURL(api.APIURL()), slack.OptionAppLevelToken("xapp-test-token"),
		slack.OptionHTTPClient(&http.Client{Timeout: 5 * time.Second}))
	s := &slackapp.Socket{App: &slackapp.App{Bot: b, API: client}, Client: socketmode.New(client)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("Socket.Run did not return after cancel")
		}
	})
	return cancel, done
}

// TestSocketMode drives a command, a click and an event through Socket Mode,
// then a disconnect and a lost connection: the same dispatch as HTTP, and
// the client comes back each time.
func TestSocketMode(t *testing.T) {
	b, db, clock := newBot(t)
	ctx := context.Background()
	api := newSlackAPI(t)
	ws := newSocketServer(t)
	for range 3 {
		api.Script("apps.connections.open", http.StatusOK, nil, fmt.Sprintf(`{"ok":true,"url":%q}`, ws.wsURL()))
	}
	for _, c := range []struct{ as, text string }{{admin, "owner <@U0OWNER>"}, {alice, "decide Take 2026.4 in one go?"}} {
		if r := b.Handle(ctx, bot.Request{User: c.as, Text: c.text}); r.Failed {
			t.Fatal(r.Text)
		}
	}
	outbox(t, db, clock)
	startSocket(t, api, b)
	ws.connected()

	// A slash command: the reply is the acknowledgement's payload.
	ws.send(envelope("e1", "slash_commands", map[string]any{
		"command": "/upgrade", "text": "add Socket task due:fri", "user_id": alice, "user_name": "alice",
		"channel_id": teamCh, "response_url": api.ResponseURL(), "trigger_id": "1.2.3",
	}))
	ack := ws.ack("e1")
	if p, _ := json.Marshal(ack["payload"]); !strings.Contains(string(p), "Added #1 Socket task") {
		t.Errorf("command ack payload = %s", p)
	}

	// A click on Approve from the owner decides.
	ws.send(envelope("e2", "interactive", map[string]any{
		"type": "block_actions", "user": map[string]any{"id": owner, "name": "olga"}, "trigger_id": "1.2.4",
		"response_url": api.ResponseURL(),
		"actions":      []map[string]any{{"action_id": slackapp.ActionApprove, "block_id": "decision_1", "value": "1", "type": "button"}},
	}))
	ws.ack("e2")
	ds, err := db.FindDecisions(ctx, upgradebot.DecisionFilter{ID: 1})
	if err != nil || len(ds) != 1 || ds[0].Status != upgradebot.DecisionApproved || ds[0].DecidedBy != owner {
		t.Fatalf("decision after the click: %+v, %v", ds, err)
	}

	// app_home_opened, then Slack's retry of it: one home refresh.
	home := map[string]any{"type": "event_callback", "event_id": "Ev0SOCKET1", "team_id": "T0TEAM",
		"event": map[string]any{"type": "app_home_opened", "user": alice, "tab": "home", "channel": "D0ALICE"}}
	ws.send(envelope("e3", "events_api", home))
	ws.ack("e3")
	ws.send(envelope("e4", "events_api", home))
	ws.ack("e4")
	var homes int
	for _, m := range outboxAll(t, db, clock) {
		if strings.HasPrefix(m, "home "+alice) {
			homes++
		}
	}
	if homes != 1 {
		t.Errorf("%d home refreshes for one app_home_opened delivered twice, want 1", homes)
	}

	// Slack asks for a reconnect: the client opens a new connection.
	ws.send(map[string]any{"type": "disconnect", "reason": "refresh_requested"})
	ws.connected()
	ws.send(envelope("e5", "slash_commands", map[string]any{"command": "/upgrade", "text": "list", "user_id": alice, "response_url": api.ResponseURL()}))
	if p, _ := json.Marshal(ws.ack("e5")["payload"]); !strings.Contains(string(p), "Socket task") {
		t.Errorf("after a reconnect, list ack payload = %s", p)
	}

	// The network drops the connection: the client comes back.
	ws.mu.Lock()
	ws.conn.Close()
	ws.mu.Unlock()
	ws.connected()
	ws.send(envelope("e6", "slash_commands", map[string]any{"command": "/upgrade", "text": "help", "user_id": alice, "response_url": api.ResponseURL()}))
	ws.ack("e6")
	if n := len(api.Calls("apps.connections.open")); n != 3 {
		t.Errorf("apps.connections.open called %d times, want 3", n)
	}
}

// TestSocketModeRevokedToken: a token Slack refuses stops Run with
// ErrTokenRevoked instead of retrying forever.
func TestSocketModeRevokedToken(t *testing.T) {
	b, _, _ := newBot(t)
	api := newSlackAPI(t)
	api.ScriptError("apps.connections.open", "invalid_auth")
	_, done := startSocket(t, api, b)
	select {
	case err := <-done:
		if !errors.Is(err, slackapp.ErrTokenRevoked) {
			t.Fatalf("Run = %v, want ErrTokenRevoked", err)
		}
		done <- err // for the cleanup
	case <-time.After(10 * time.Second):
		t.Fatal("Run kept going with a revoked token")
	}
}
