package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
)

// ErrTokenRevoked is returned (wrapped) by Deliverer.Run and DeliverOnce
// when Slack refuses the bot token: revoked, expired, the app uninstalled or
// the account deactivated. Nothing can be delivered until an admin installs
// the app again, so the process should stop and say so.
var ErrTokenRevoked = errors.New("bot: Slack refused the bot token (revoked, expired or invalid); reinstall the app and set SLACK_BOT_TOKEN")

// Deliverer defaults.
const (
	DefaultChannelInterval = time.Second            // Slack: about one message per second per channel
	DefaultInterval        = 250 * time.Millisecond // between any two Web API calls, across the team
	DefaultPoll            = time.Second
	DefaultLease           = 30 * time.Second
	DefaultMaxAttempts     = 12
)

const (
	deliverBatch = 100              // messages read per pass, channels taken in turn (DueMessages)
	maxBackoff   = 10 * time.Minute // between retries of one message
	waitOriginal = 5 * time.Second  // an update waits this long for its original
	// finishTimeout bounds the last attempt to record outcomes when Run stops.
	finishTimeout = 5 * time.Second
)

// Deliverer is the outbox worker: it delivers pending messages through
// Slack's Web API (conversations.open, chat.postMessage, chat.update,
// views.publish, and files.uploadV2's steps for a post with the weekly chart)
// and response_url, keeping Slack's rate limits, and records the outcome of
// each one at once. Channels are served in turn (Desk.DueMessages), so a
// backlog for one channel or person never holds up the others.
//
// Each message is claimed (leased) in the database before it is sent, so two
// processes on one database never send the same message; a process that
// dies mid-delivery leaves the lease to expire and the message is sent
// again. The only window in which a message can be sent twice is between
// Slack accepting it and the outcome being written (one SQLite write), or a
// request that timed out after Slack had in fact accepted it. An outcome
// that cannot be written (the database locked, the disk full) is kept in
// memory and written before anything else is sent, so it is not sent again
// by this worker; Run makes a last attempt when it stops.
//
// Run and DeliverOnce must not be called at the same time on one Deliverer;
// any number of Deliverers may share a database.
type Deliverer struct {
	Desk upgradebot.Desk
	// API is the Web API client. slack-go's default HTTP client has no
	// timeout, so build it with one, and without slack.OptionRetry (retries
	// belong to this worker, never inside one call):
	//
	//	slack.New(token,
	//		slack.OptionHTTPClient(&http.Client{Timeout: 10 * time.Second}),
	//		slack.OptionAPIURL(apiURL)) // SLACK_API_URL, if set
	API *slack.Client
	// Bot builds the start page for App Home refreshes for home refreshes.
	Bot     *bot.Bot
	Clock   upgradebot.Clock
	Logger  *slog.Logger // nil: slog.Default()
	Metrics *Metrics     // nil: count nothing
	// HTTPClient posts to response_url; nil means a client with a 10 s
	// timeout.
	HTTPClient *http.Client
	// ChannelInterval is the least time between two messages to one
	// channel (or one person's DM): DefaultChannelInterval if zero, none if
	// negative. A message inside it waits for a later pass while messages to
	// other channels go ahead. It is kept across every worker on the
	// database: claiming a message books its channel (Desk.ClaimPaced).
	ChannelInterval time.Duration
	// Interval is the least time between two Web API calls: DefaultInterval
	// if zero, none if negative.
	Interval time.Duration
	// Poll is how often the outbox is read when nothing wakes the worker:
	// DefaultPoll if zero.
	Poll time.Duration
	// Lease is how long a claimed message is held before another worker may
	// take it: DefaultLease if zero. One delivery is cut off at half of it,
	// so it must be well over the API client's timeout times the calls of
	// one delivery (a DM is two calls, a post with the chart three).
	Lease time.Duration
	// MaxAttempts is how many failed attempts (network errors, 5xx) a
	// message gets before it is failed for good: DefaultMaxAttempts if zero.
	// With backoff doubling from 2 s to 10 min, 12 attempts span about 40 min.
	// A rate limit (429) is not an attempt: Slack asks to wait, and the
	// message waits for Retry-After without using up its attempts.
	MaxAttempts int

	once sync.Once
	wake chan struct{}

	mu          sync.Mutex           // held for a whole pass
	unwritten   []outcome            // outcomes not yet recorded (see flush)
	free        map[string]time.Time // per channel key: booked until, as far as this worker knows
	nextCall    time.Time            // no Web API call before this
	pausedUntil time.Time            // after a 429, no deliveries before this
	dmChannels  map[string]string    // user id → D… channel, from conversations.open
}

func (d *Deliverer) init() {
	d.once.Do(func() {
		d.wake = make(chan struct{}, 1)
		d.free = map[string]time.Time{}
		d.dmChannels = map[string]string{}
	})
}

func orDefault[T int | time.Duration](v, def T) T {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 0
	}
	return v
}

func (d *Deliverer) logger() *slog.Logger {
	if d.Logger == nil {
		return slog.Default()
	}
	return d.Logger
}

func (d *Deliverer) lease() time.Duration {
	if d.Lease <= 0 {
		return DefaultLease
	}
	return d.Lease
}

func (d *Deliverer) poll() time.Duration {
	if d.Poll <= 0 {
		return DefaultPoll
	}
	return d.Poll
}

// Wake tells the worker that messages were queued, so they go out now
// rather than at the next poll. It never blocks.
func (d *Deliverer) Wake() {
	d.init()
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run delivers the outbox until ctx is done, then returns nil once the
// message in flight (if any) is recorded. It returns an error wrapping
// ErrTokenRevoked when Slack refuses the token. Trouble reading or writing
// the outbox is logged and retried at the next poll.
func (d *Deliverer) Run(ctx context.Context) error {
	d.init()
	for {
		_, wait, err := d.pass(ctx)
		if errors.Is(err, ErrTokenRevoked) {
			d.finish(ctx)
			return err
		}
		if ctx.Err() != nil {
			d.finish(ctx)
			return nil
		}
		if err != nil {
			d.logger().Error("outbox delivery", "err", err)
			wait = d.poll()
		}
		if wait <= 0 {
			continue
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			d.finish(ctx)
			return nil
		case <-d.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// DeliverOnce makes one pass over the outbox and returns how many messages
// it delivered. Messages that failed or must wait are left for a later pass.
func (d *Deliverer) DeliverOnce(ctx context.Context) (int, error) {
	n, _, err := d.pass(ctx)
	return n, err
}

// pass delivers what is due and says how long to wait before the next pass.
func (d *Deliverer) pass(ctx context.Context) (sent int, wait time.Duration, err error) {
	d.init()
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.flush(ctx); err != nil {
		return 0, d.poll(), err
	}
	now := d.Clock.Now()
	if now.Before(d.pausedUntil) {
		return 0, d.pausedUntil.Sub(now), nil
	}
	msgs, err := d.Desk.DueMessages(ctx, now, deliverBatch)
	if err != nil {
		return 0, d.poll(), fmt.Errorf("bot: deliver: read outbox: %w", err)
	}
	wait = d.poll()
	skipped := false
	gap := orDefault(d.ChannelInterval, DefaultChannelInterval)
	for key, free := range d.free {
		if !now.Before(free) {
			delete(d.free, key)
		}
	}
	for _, m := range msgs {
		if ctx.Err() != nil {
			return sent, 0, nil
		}
		now = d.Clock.Now()
		key := m.ChannelKey()
		if free := d.free[key]; key != "" && now.Before(free) {
			wait, skipped = min(wait, free.Sub(now)), true
			continue
		}
		// The claim books the channel in the database, so that every
		// worker on it keeps the channel's pace, not only this one.
		ok, free, err := d.Desk.ClaimPaced(ctx, m.ID, now, now.Add(d.lease()), gap)
		if err != nil {
			return sent, d.poll(), fmt.Errorf("bot: deliver: claim message %d: %w", m.ID, err)
		}
		if !ok {
			if free.After(now) { // another worker sent to this channel
				d.free[key] = free
				wait, skipped = min(wait, free.Sub(now)), true
			}
			continue // or another worker has it, or it is no longer pending
		}
		if key != "" && gap > 0 {
			d.free[key] = now.Add(gap)
		}
		// A claimed message is delivered and recorded even if ctx ends
		// meanwhile: abandoning it could send it twice.
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), d.lease()/2)
		channel, ts, derr := d.deliver(dctx, m)
		cancel()
		ok, err = d.record(context.WithoutCancel(ctx), m, channel, ts, derr)
		if ok {
			sent++
		}
		if err != nil {
			return sent, d.poll(), err
		}
		if now := d.Clock.Now(); now.Before(d.pausedUntil) {
			return sent, d.pausedUntil.Sub(now), nil
		}
	}
	if len(msgs) == deliverBatch && sent > 0 && !skipped {
		wait = 0 // more may be waiting
	}
	return sent, wait, nil
}

// deliver sends one message and returns where Slack put it.
func (d *Deliverer) deliver(ctx context.Context, m *upgradebot.Message) (channel, ts string, err error) {
	if d.API == nil && m.Kind != upgradebot.MessageResponse {
		return "", "", permanent("no Slack Web API client")
	}
	if m.Kind == upgradebot.MessageDM || m.Kind == upgradebot.MessageUpdate {
		v := *m // a DM is read by the person it goes to: their mention is "you"
		v.Text = upgradebot.ForViewer(v.Text, m.To)
		v.Items = make([]upgradebot.Item, len(m.Items))
		for i, it := range m.Items {
			it.Closed = upgradebot.ForViewer(it.Closed, m.To)
			v.Items[i] = it
		}
		m = &v
	}
	switch m.Kind {
	case upgradebot.MessageDM:
		ch, err := d.openDM(ctx, m.To)
		if err != nil {
			return "", "", err
		}
		channel, ts, err = d.post(ctx, ch, m)
		if err != nil {
			delete(d.dmChannels, m.To) // open it afresh next time
		}
		return channel, ts, err
	case upgradebot.MessagePost:
		switch m.Attach {
		case "":
		case upgradebot.AttachChart:
			return d.postChart(ctx, m)
		default:
			return "", "", permanent(fmt.Sprintf("unknown attachment %q", m.Attach))
		}
		return d.post(ctx, m.To, m)
	case upgradebot.MessageUpdate:
		return d.update(ctx, m)
	case upgradebot.MessageHome:
		return "", "", d.publishHome(ctx, m.To)
	case upgradebot.MessageResponse:
		return "", "", d.respond(ctx, m)
	}
	return "", "", permanent(fmt.Sprintf("unknown message kind %q", m.Kind))
}

// pace waits until the next Web API call is allowed and books the one after.
func (d *Deliverer) pace(ctx context.Context) error {
	if wait := d.nextCall.Sub(d.Clock.Now()); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	d.nextCall = d.Clock.Now().Add(orDefault(d.Interval, DefaultInterval))
	return nil
}

// openDM returns the D… channel of the bot's DM with user.
func (d *Deliverer) openDM(ctx context.Context, user string) (string, error) {
	if ch := d.dmChannels[user]; ch != "" {
		return ch, nil
	}
	if err := d.pace(ctx); err != nil {
		return "", err
	}
	c, _, _, err := d.API.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{user}})
	if err != nil {
		return "", fmt.Errorf("conversations.open: %w", err)
	}
	if c == nil || c.ID == "" {
		return "", errors.New("conversations.open: Slack returned no channel")
	}
	d.dmChannels[user] = c.ID
	return c.ID, nil
}

// post sends m to a channel with chat.postMessage: in the thread of the
// message m.ThreadOf when Slack has that one in the same channel.
func (d *Deliverer) post(ctx context.Context, channel string, m *upgradebot.Message) (string, string, error) {
	opts := []slack.MsgOption{slack.MsgOptionText(Fallback(m), false), slack.MsgOptionBlocks(d.blocks(ctx, m)...)}
	if m.ThreadOf != 0 {
		ts, err := d.threadOf(ctx, m, channel)
		if err != nil {
			return "", "", err
		}
		if ts != "" {
			opts = append(opts, slack.MsgOptionTS(ts))
		}
	}
	if err := d.pace(ctx); err != nil {
		return "", "", err
	}
	ch, ts, err := d.API.PostMessageContext(ctx, channel, opts...)
	if err != nil {
		return "", "", fmt.Errorf("chat.postMessage: %w", err)
	}
	if ch == "" {
		ch = channel
	}
	return ch, ts, nil
}

// threadOf is the ts of the message m replies to, m.ThreadOf, when it is in
// channel; "" when it is not, or was never sent (m then goes to the top
// level). It waits for a pending one to be sent first.
func (d *Deliverer) threadOf(ctx context.Context, m *upgradebot.Message, channel string) (string, error) {
	orig, err := d.Desk.FindMessage(ctx, m.ThreadOf)
	switch {
	case upgradebot.ErrorCode(err) == upgradebot.ENOTFOUND:
		return "", nil
	case err != nil:
		return "", fmt.Errorf("read message %d to reply to: %w", m.ThreadOf, err)
	}
	if orig.Status == upgradebot.MessagePending {
		next := d.Clock.Now().Add(waitOriginal)
		if orig.NextTry.After(next) {
			next = orig.NextTry
		}
		return "", &waitError{orig: orig.ID, until: next}
	}
	if orig.Status != upgradebot.MessageSent || orig.SlackChannel != channel || orig.Attach != "" {
		return "", nil
	}
	return orig.SlackTS, nil
}

// blocks renders m, its tickets linked through the team's ticket URL when
// one is set (read only for a message that has items).
func (d *Deliverer) blocks(ctx context.Context, m *upgradebot.Message) []slack.Block {
	refURL := ""
	if len(m.Items) > 0 {
		if s, err := d.Desk.Settings(ctx); err == nil {
			refURL = s.Config().RefURL
		} else {
			d.logger().Warn("settings not read; tickets shown without links", "message", m.ID, "err", err)
		}
	}
	return MessageBlocksLinked(m, refURL)
}

// update edits the message m.UpdateOf in place with chat.update, which
// needs the channel and ts recorded when the original was sent.
func (d *Deliverer) update(ctx context.Context, m *upgradebot.Message) (string, string, error) {
	orig, err := d.Desk.FindMessage(ctx, m.UpdateOf)
	switch {
	case upgradebot.ErrorCode(err) == upgradebot.ENOTFOUND:
		return "", "", permanent(fmt.Sprintf("the message to update (#%d) does not exist", m.UpdateOf))
	case err != nil:
		return "", "", fmt.Errorf("read message %d to update: %w", m.UpdateOf, err)
	}
	switch orig.Status {
	case upgradebot.MessagePending:
		next := d.Clock.Now().Add(waitOriginal)
		if orig.NextTry.After(next) {
			next = orig.NextTry
		}
		return "", "", &waitError{orig: orig.ID, until: next}
	case upgradebot.MessageFailed:
		return "", "", permanent(fmt.Sprintf("the message to update (#%d) failed: %s", orig.ID, orig.LastError))
	}
	if orig.SlackChannel == "" || orig.SlackTS == "" {
		return "", "", permanent(fmt.Sprintf("the message to update (#%d) has no Slack channel and ts", orig.ID))
	}
	if err := d.pace(ctx); err != nil {
		return "", "", err
	}
	if _, _, _, err := d.API.UpdateMessageContext(ctx, orig.SlackChannel, orig.SlackTS,
		slack.MsgOptionText(Fallback(m), false), slack.MsgOptionBlocks(d.blocks(ctx, m)...)); err != nil {
		return "", "", fmt.Errorf("chat.update: %w", err)
	}
	// The message keeps its channel and ts when edited, so a later update
	// of this one edits the same message.
	return orig.SlackChannel, orig.SlackTS, nil
}

// publishHome builds user's App Home and publishes it with views.publish.
func (d *Deliverer) publishHome(ctx context.Context, user string) error {
	if d.Bot == nil {
		return permanent("no bot to build the App Home")
	}
	home, err := d.Bot.Home(ctx, user)
	if err != nil {
		return fmt.Errorf("build home: %w", err)
	}
	view := HomeView(home)
	if err := d.pace(ctx); err != nil {
		return err
	}
	if _, err := d.API.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: user, View: view}); err != nil {
		return fmt.Errorf("views.publish: %w", err)
	}
	return nil
}

// respond posts m as an ephemeral message to the response_url in m.To.
// A 404 or 410 means the URL expired or was used up: failed for good.
func (d *Deliverer) respond(ctx context.Context, m *upgradebot.Message) error {
	u, err := url.Parse(m.To)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return permanent("the response_url is not an http(s) URL")
	}
	body, err := json.Marshal(struct {
		ResponseType    string        `json:"response_type"`
		ReplaceOriginal bool          `json:"replace_original"`
		Text            string        `json:"text"`
		Blocks          []slack.Block `json:"blocks,omitempty"`
	}{slack.ResponseTypeEphemeral, false, FallbackText(m.Text), MessageBlocks(m)})
	if err != nil {
		return permanent("encode the response: " + err.Error())
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.To, bytes.NewReader(body))
	if err != nil {
		return permanent("build the response_url request")
	}
	req.Header.Set("Content-Type", "application/json")
	client := d.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("response_url: %w", redactURL(err))
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	detail := strings.TrimSpace(string(text))
	switch code := resp.StatusCode; {
	case code >= 200 && code < 300:
		return nil
	case code == http.StatusTooManyRequests:
		if after, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && after > 0 {
			return &slack.RateLimitedError{RetryAfter: time.Duration(after) * time.Second}
		}
		return slack.StatusCodeError{Code: code, Status: resp.Status}
	case code >= 500 || code == http.StatusRequestTimeout:
		return slack.StatusCodeError{Code: code, Status: resp.Status}
	default: // 404 or 410: expired or used up; other 4xx: Slack refused the body
		return permanent(fmt.Sprintf("response_url answered %s %s", resp.Status, detail))
	}
}

// redactURL drops the URL from a *url.Error: a response_url is a
// credential for posting to the user, and must not reach logs.
func redactURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}

// permanentError is a delivery failure that retrying cannot fix.
type permanentError struct{ reason string }

func (e *permanentError) Error() string { return e.reason }

func permanent(reason string) error { return &permanentError{reason} }

// waitError says an update must wait for its original to be delivered.
type waitError struct {
	orig  int64
	until time.Time
}

func (e *waitError) Error() string {
	return fmt.Sprintf("waiting for message #%d to be delivered first", e.orig)
}

// Slack error codes worth retrying. Every other error code (channel_not_found,
// not_in_channel, is_archived, user_not_found, cannot_dm_bot, msg_too_long,
// invalid_blocks, no_text, restricted_action, missing_scope, …) will never
// succeed, so the message is failed with it.
var transientErrors = map[string]bool{
	"internal_error": true, "fatal_error": true, "service_unavailable": true, "request_timeout": true,
	"ratelimited": true, "rate_limited": true, "team_added_to_org": true,
}

// verdict is what to do with a message after an attempt.
type verdict int

const (
	verdictRetry     verdict = iota // try again after a backoff: a failed attempt
	verdictFailed                   // give up: it will never succeed
	verdictRevoked                  // stop: the token is no good; the message stays pending
	verdictRateLimit                // try again after Retry-After, pausing all deliveries; not an attempt
	verdictWait                     // an update waits for its original; not an attempt
)

// classify sorts a delivery error and gives the reason to record: Slack's
// error code where there is one.
func classify(err error) (verdict, string) {
	var (
		perm *permanentError
		wait *waitError
		rl   *slack.RateLimitedError
		sce  slack.StatusCodeError
		ser  slack.SlackErrorResponse
	)
	switch {
	case errors.As(err, &perm):
		return verdictFailed, perm.reason
	case errors.As(err, &wait):
		return verdictWait, wait.Error()
	case errors.As(err, &rl):
		return verdictRateLimit, err.Error()
	case errors.As(err, &sce):
		if sce.Code >= 500 || sce.Code == http.StatusTooManyRequests || sce.Code == http.StatusRequestTimeout {
			return verdictRetry, err.Error()
		}
		return verdictFailed, err.Error()
	case errors.As(err, &ser):
		switch {
		case authErrors[ser.Err]:
			return verdictRevoked, ser.Err
		case transientErrors[ser.Err]:
			return verdictRetry, ser.Err
		}
		return verdictFailed, ser.Err
	}
	// Network errors, timeouts, a garbled answer: try again.
	return verdictRetry, err.Error()
}

// outcome is what an attempt came to, as the outbox must record it.
type outcome struct {
	m           *upgradebot.Message
	status      upgradebot.MessageStatus // sent, failed, or pending: to be tried again
	counted     bool                     // pending: a failed attempt (MarkRetry), not a wait (Postpone)
	channel, ts string                   // sent: where Slack put it
	reason      string                   // failed or pending: why
	next        time.Time                // pending: when to try again
}

// write records o in the outbox.
func (d *Deliverer) write(ctx context.Context, o outcome) error {
	switch {
	case o.status == upgradebot.MessageSent:
		return d.Desk.MarkSent(ctx, o.m.ID, o.channel, o.ts)
	case o.status == upgradebot.MessageFailed:
		return d.Desk.MarkFailed(ctx, o.m.ID, o.reason)
	case o.counted:
		return d.Desk.MarkRetry(ctx, o.m.ID, o.reason, o.next)
	}
	return d.Desk.Postpone(ctx, o.m.ID, o.reason, o.next)
}

// record decides, counts and writes the outcome of an attempt. It reports
// whether the message was delivered; its error is for trouble writing the
// outcome, or wraps ErrTokenRevoked. An outcome that cannot be written is
// kept, to be written by flush before anything else is sent.
func (d *Deliverer) record(ctx context.Context, m *upgradebot.Message, channel, ts string, derr error) (bool, error) {
	log := d.logger().With("message", m.ID, "kind", string(m.Kind), "attempt", m.Attempts+1)
	o := outcome{m: m}
	var v verdict
	if derr == nil {
		o.status, o.channel, o.ts = upgradebot.MessageSent, channel, ts
		d.Metrics.Delivered(m.Kind)
		log.Debug("message delivered", "channel", channel)
	} else {
		v, o.reason = classify(derr)
		if len(o.reason) > 500 {
			o.reason = upgradebot.Clip(o.reason, 500)
		}
		o.status = upgradebot.MessagePending
		now := d.Clock.Now()
		switch v {
		case verdictWait:
			var w *waitError
			errors.As(derr, &w)
			log.Debug("update waits for its original", "original", w.orig)
			o.next = w.until
		case verdictRateLimit:
			// Slack asks us to wait: not a failed attempt.
			var rl *slack.RateLimitedError
			errors.As(derr, &rl)
			after := max(rl.RetryAfter, time.Second)
			d.pausedUntil = now.Add(after)
			d.Metrics.Retried(m.Kind)
			log.Warn("Slack rate limit: pausing deliveries", "retry_after", after)
			o.next = d.pausedUntil
		case verdictRetry:
			if m.Attempts+1 >= orDefault(d.MaxAttempts, DefaultMaxAttempts) {
				d.Metrics.Failed(m.Kind)
				log.Error("message failed for good", "err", o.reason)
				o.status, o.reason = upgradebot.MessageFailed, fmt.Sprintf("gave up after %d attempts: %s", m.Attempts+1, o.reason)
				break
			}
			o.counted, o.next = true, now.Add(backoff(m.Attempts))
			d.Metrics.Retried(m.Kind)
			log.Warn("message delivery failed; will retry", "err", o.reason, "next_try", o.next)
		case verdictFailed:
			d.Metrics.Failed(m.Kind)
			log.Error("message failed for good", "err", o.reason)
			o.status = upgradebot.MessageFailed
		case verdictRevoked:
			// Nothing is wrong with the message: it waits, due at once, for
			// the app to be reinstalled and the process restarted.
			log.Error("Slack refused the bot token; the message stays pending", "err", o.reason)
			o.next = now
		}
	}
	if err := d.write(ctx, o); err != nil {
		// The lease will run out, but the outcome is known: keep it, and
		// send nothing until it is written (flush), so that a message Slack
		// has is not sent again.
		d.unwritten = append(d.unwritten, o)
		log.Error("outcome not recorded; kept to be written again before anything else is sent", "status", string(o.status), "err", err)
		if v == verdictRevoked {
			return false, fmt.Errorf("bot: deliver message %d: %w (Slack said %s; the outcome was not recorded: %v)", m.ID, ErrTokenRevoked, o.reason, err)
		}
		return derr == nil, fmt.Errorf("bot: deliver: record outcome of message %d: %w", m.ID, err)
	}
	if v == verdictRevoked {
		return false, fmt.Errorf("bot: deliver message %d: %w (Slack said %s)", m.ID, ErrTokenRevoked, o.reason)
	}
	return derr == nil, nil
}

// flush writes the outcomes record could not, oldest first, and keeps
// those that fail again. Until every one is written the worker sends
// nothing: their messages' leases may have run out, and a message whose
// outcome is known must not be sent again.
func (d *Deliverer) flush(ctx context.Context) error {
	kept := d.unwritten[:0]
	var first error
	for _, o := range d.unwritten {
		err := d.write(ctx, o)
		switch {
		case err == nil:
			d.logger().Info("outcome recorded late", "message", o.m.ID, "status", string(o.status))
		case upgradebot.ErrorCode(err) == upgradebot.ENOTFOUND: // the message is gone: nothing to record
		default:
			kept = append(kept, o)
			if first == nil {
				first = err
			}
		}
	}
	clear(d.unwritten[len(kept):])
	d.unwritten = kept
	if first != nil {
		return fmt.Errorf("bot: deliver: %d outcome(s) still not recorded: %w", len(kept), first)
	}
	return nil
}

// finish makes a last attempt, bounded in time, to write the outcomes not
// yet written when Run stops, and names the messages it could not: they
// may be sent again.
func (d *Deliverer) finish(ctx context.Context) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.unwritten) == 0 {
		return
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), finishTimeout)
	defer cancel()
	if err := d.flush(fctx); err != nil {
		ids := make([]int64, len(d.unwritten))
		for i, o := range d.unwritten {
			ids[i] = o.m.ID
		}
		d.logger().Error("stopping with outcomes not recorded; these messages may be sent again", "messages", fmt.Sprint(ids), "err", err)
	}
}

// backoff is the wait before the next try of a message that failed
// attempts times before: 2 s doubling, at most 10 min, with jitter so that
// many messages failed by one outage do not come back at once.
func backoff(attempts int) time.Duration {
	d := maxBackoff
	if attempts < 20 {
		d = min(2*time.Second<<attempts, maxBackoff)
	}
	return d/2 + rand.N(d/2+1)
}
