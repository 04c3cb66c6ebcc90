package slack

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
)

// DefaultMaxBody caps the body of a request from Slack. Slash commands and
// events are a few kilobytes; a modal submission with long text is the
// largest thing Slack sends.
const DefaultMaxBody = 1 << 20

// healthTimeout bounds the write probe of /healthz and the reads of
// /metrics.
const healthTimeout = 2 * time.Second

// Server serves Slack's HTTP callbacks and the operational endpoints:
//
//	POST /slack/commands     slash commands
//	POST /slack/interactive  button clicks and modal submissions
//	POST /slack/events       the Events API
//	GET  /healthz            200 "ok" if the database takes a write, else 503 and why
//	GET  /metrics            Prometheus text format
//	GET  /calendar.ics       the iCalendar feed, with ?token=CalendarToken (else 404)
//
// Every /slack/ request is read (at most MaxBody bytes, else 413) and its
// signature checked against SigningSecret before anything else: a missing,
// wrong or stale signature is answered 401 and nothing is parsed or written.
// Slack's requests are handed to the same Slack methods Socket Mode uses.
type Server struct {
	App           *App
	SigningSecret string
	Clock         upgradebot.Clock // the signature's freshness and request latency; nil: Slack.Bot.Clock
	Desk          upgradebot.Desk  // pinged by /healthz, counted by /metrics; nil: Slack.Bot.Desk
	Logger        *slog.Logger     // nil: Slack's
	MaxBody       int64            // 0: DefaultMaxBody
	// CalendarToken is the secret of the calendar feed's URL; empty turns
	// the feed off (404).
	CalendarToken string

	once sync.Once
	mux  *http.ServeMux
}

// ServeHTTP routes r, recording its status and latency in Slack.Metrics. A
// panic in a handler is logged and answered 500 without details.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.once.Do(s.routes)
	start := s.clock().Now()
	rec := &statusWriter{ResponseWriter: w}
	// The route is the pattern's path, so that metrics have one series per
	// endpoint whatever the request's path (405s and 404s are "other").
	route := "other"
	if _, pattern := s.mux.Handler(r); pattern != "" {
		_, route, _ = strings.Cut(pattern, " ")
	}
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			s.logger().Error("http handler panicked", "route", route, "panic", fmt.Sprint(p))
			if !rec.wrote {
				http.Error(rec, "internal error", http.StatusInternalServerError)
			}
		}
		s.App.Metrics.Request(route, rec.status(), s.clock().Now().Sub(start))
	}()
	s.mux.ServeHTTP(rec, r)
}

func (s *Server) routes() {
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("POST /slack/commands", s.slackHandler(s.command))
	s.mux.HandleFunc("POST /slack/interactive", s.slackHandler(s.interactive))
	s.mux.HandleFunc("POST /slack/events", s.slackHandler(s.events))
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /metrics", s.metrics)
	s.mux.HandleFunc("GET /calendar.ics", s.calendar)
}

func (s *Server) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return s.App.logger()
}

func (s *Server) clock() upgradebot.Clock {
	if s.Clock != nil {
		return s.Clock
	}
	return s.App.Bot.Clock
}

func (s *Server) desk() upgradebot.Desk {
	if s.Desk != nil {
		return s.Desk
	}
	return s.App.Bot.Desk
}

// slackHandler reads and verifies a request from Slack, then hands the raw
// body to h. Nothing before the signature check looks at the body.
func (s *Server) slackHandler(h func(http.ResponseWriter, *http.Request, []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		limit := s.MaxBody
		if limit <= 0 {
			limit = DefaultMaxBody
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				s.logger().Warn("slack request refused: body too large", "path", r.URL.Path, "limit", limit)
				http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
				return
			}
			s.logger().Warn("slack request: reading the body failed", "path", r.URL.Path, "err", err)
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		if err := VerifyRequest(s.SigningSecret, r.Header, body, s.clock().Now()); err != nil {
			s.logger().Warn("slack request refused", "path", r.URL.Path, "err", err)
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		h(w, r, body)
	}
}

// form parses a verified application/x-www-form-urlencoded body.
func form(body []byte) (url.Values, error) {
	v, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, fmt.Errorf("bot: parse form: %w", err)
	}
	return v, nil
}

func (s *Server) command(w http.ResponseWriter, r *http.Request, body []byte) {
	if v, err := form(body); err == nil && v.Get("ssl_check") == "1" {
		w.WriteHeader(http.StatusOK)
		return
	}
	// SlashCommandParse reads the form from the request; give it the body
	// that was verified.
	parse := r.Clone(r.Context())
	parse.Body = io.NopCloser(bytes.NewReader(body))
	parse.Form, parse.PostForm = nil, nil
	cmd, err := slack.SlashCommandParse(parse)
	if err != nil || cmd.UserID == "" {
		s.logger().Warn("slash command: malformed request", "err", err)
		http.Error(w, "malformed slash command", http.StatusBadRequest)
		return
	}
	msg, err := s.App.Command(r.Context(), cmd)
	if err != nil {
		s.logger().Error("slash command failed", "user", cmd.UserID, "command", bot.CommandName(cmd.Text), "err", err)
		msg = ReplyMessage(bot.Reply{Text: upgradebot.ErrorMessage(err), Failed: true})
	}
	if msg == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	s.writeJSON(w, msg)
}

func (s *Server) interactive(w http.ResponseWriter, r *http.Request, body []byte) {
	v, err := form(body)
	if err != nil || v.Get("payload") == "" {
		s.logger().Warn("interaction: no payload", "err", err)
		http.Error(w, "missing payload", http.StatusBadRequest)
		return
	}
	var ic slack.InteractionCallback
	if err := json.Unmarshal([]byte(v.Get("payload")), &ic); err != nil {
		s.logger().Warn("interaction: malformed payload", "err", err)
		http.Error(w, "malformed payload", http.StatusBadRequest)
		return
	}
	resp, err := s.App.Interaction(r.Context(), ic)
	if err != nil {
		s.logger().Error("interaction failed", "type", ic.Type, "user", ic.User.ID, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if resp == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	s.writeJSON(w, resp)
}

// envelope is the outer shape of everything the Events API posts.
type envelope struct {
	Type      string `json:"type"`
	Challenge string `json:"challenge"`
	EventID   string `json:"event_id"`
	Event     struct {
		Type string `json:"type"`
	} `json:"event"`
}

func (s *Server) events(w http.ResponseWriter, r *http.Request, body []byte) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		s.logger().Warn("event: malformed body", "err", err)
		http.Error(w, "malformed event", http.StatusBadRequest)
		return
	}
	switch env.Type {
	case slackevents.URLVerification:
		s.writeJSON(w, map[string]string{"challenge": env.Challenge})
		return
	case slackevents.AppRateLimited:
		s.logger().Warn("Slack is rate-limiting this app's events")
		w.WriteHeader(http.StatusOK)
		return
	case slackevents.CallbackEvent:
	default:
		s.logger().Info("event: unknown type ignored", "type", env.Type)
		w.WriteHeader(http.StatusOK)
		return
	}
	ev, err := slackevents.ParseEvent(json.RawMessage(body), slackevents.OptionNoVerifyToken())
	if err != nil {
		// An inner event slack-go does not know: still recorded by id.
		ev = slackevents.EventsAPIEvent{Type: slackevents.CallbackEvent,
			Data:       &slackevents.EventsAPICallbackEvent{Type: env.Type, EventID: env.EventID},
			InnerEvent: slackevents.EventsAPIInnerEvent{Type: env.Event.Type}}
	}
	if n := r.Header.Get("X-Slack-Retry-Num"); n != "" {
		s.logger().Info("event retried by Slack", "event_id", env.EventID, "retry", n, "reason", r.Header.Get("X-Slack-Retry-Reason"))
	}
	// Recording the event is one short transaction, so it is done before
	// answering: a failure answers 500 and Slack retries.
	if err := s.App.Event(r.Context(), env.EventID, ev); err != nil {
		s.logger().Error("event failed; Slack will retry", "event_id", env.EventID, "type", env.Event.Type, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// healthz answers 200 only if the database takes a write, as every command
// needs; otherwise 503 with the reason in a few words (no internals).
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	if err := s.desk().CheckWrite(ctx); err != nil {
		s.logger().Error("health check: the database cannot be written", "err", err)
		reason := "the database cannot be written"
		if ue := (*upgradebot.Error)(nil); errors.As(err, &ue) {
			reason = ue.Message
		}
		http.Error(w, "unavailable: "+reason+"\ndatabase: "+s.desk().Connection().String(), http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "ok\ndatabase: "+s.desk().Connection().String()+"\n")
}

func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	counts, err := s.desk().CountMessages(ctx)
	if err != nil {
		s.logger().Error("metrics: outbox not counted", "err", err)
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	oldest, err := s.desk().OldestPending(ctx)
	if err != nil {
		s.logger().Error("metrics: oldest pending message not read", "err", err)
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	var age time.Duration
	if !oldest.IsZero() {
		age = max(s.clock().Now().Sub(oldest), 0)
	}
	var b bytes.Buffer
	s.App.Metrics.Write(&b, counts)
	writeOutboxAge(&b, age)
	writeConnections(&b, s.desk().Connection())
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Write(b.Bytes())
}

// calendar serves the iCalendar feed to a calendar app. A missing or wrong
// token is answered like an unknown path, 404, so the feed's existence is
// not given away; the comparison takes the same time whatever the token.
func (s *Server) calendar(w http.ResponseWriter, r *http.Request) {
	want := sha256.Sum256([]byte(s.CalendarToken))
	got := sha256.Sum256([]byte(r.URL.Query().Get("token")))
	if s.CalendarToken == "" || subtle.ConstantTimeCompare(want[:], got[:]) != 1 {
		http.NotFound(w, r)
		return
	}
	events, err := upgradebot.LoadCalendar(r.Context(), s.desk(), s.clock().Now())
	if err != nil {
		s.logger().Error("calendar feed failed", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var b bytes.Buffer
	if err := upgradebot.WriteICS(&b, upgradebot.CalendarName, events); err != nil {
		s.logger().Error("calendar feed failed", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "private, max-age=300")
	w.Write(b.Bytes())
}

func (s *Server) writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		s.logger().Error("encode response", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

// statusWriter remembers the status code written through it.
type statusWriter struct {
	http.ResponseWriter
	code  int
	wrote bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.code, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.code, w.wrote = http.StatusOK, true
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) status() int {
	if !w.wrote {
		return http.StatusOK
	}
	return w.code
}
