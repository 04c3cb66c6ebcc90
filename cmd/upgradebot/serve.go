package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
	slackapp "github.com/upgradebot/upgradebot/slack"
)

// slackConfig is what serve reads from the environment.
type slackConfig struct {
	BotToken      string        // SLACK_BOT_TOKEN
	SigningSecret string        // SLACK_SIGNING_SECRET
	AppToken      string        // SLACK_APP_TOKEN: Socket Mode when set
	Addr          string        // UPGRADEBOT_ADDR
	APIURL        string        // SLACK_API_URL
	SendInterval  time.Duration // UPGRADEBOT_SEND_INTERVAL
	CalendarToken string        // UPGRADEBOT_CALENDAR_TOKEN: the calendar feed's secret
}

// Timeouts of the Web API client: slack-go's default HTTP client has none,
// and a hung call must not hold a request or the outbox worker.
const (
	apiTimeout      = 10 * time.Second
	shutdownTimeout = 25 * time.Second
)

// slackConfig reads and checks the Slack settings; a bad one is one line
// naming it.
func (m *Main) slackConfig() (slackConfig, error) {
	c := slackConfig{
		BotToken:      strings.TrimSpace(m.Getenv("SLACK_BOT_TOKEN")),
		SigningSecret: strings.TrimSpace(m.Getenv("SLACK_SIGNING_SECRET")),
		AppToken:      strings.TrimSpace(m.Getenv("SLACK_APP_TOKEN")),
		Addr:          cmpOr(m.Getenv("UPGRADEBOT_ADDR"), ":3000"),
		APIURL:        cmpOr(m.Getenv("SLACK_API_URL"), slack.APIURL),
		SendInterval:  slackapp.DefaultInterval,
		CalendarToken: strings.TrimSpace(m.Getenv("UPGRADEBOT_CALENDAR_TOKEN")),
	}
	if n := len(c.CalendarToken); n > 0 && n < minCalendarToken {
		return c, usageError{fmt.Sprintf("UPGRADEBOT_CALENDAR_TOKEN: %d characters is guessable; use at least %d (e.g. openssl rand -hex 16)", n, minCalendarToken)}
	}
	switch {
	case c.BotToken == "":
		return c, usageError{"SLACK_BOT_TOKEN: not set; serve needs the bot token (xoxb-...) from the app's OAuth & Permissions page"}
	case !strings.HasPrefix(c.BotToken, "xoxb-"):
		return c, usageError{"SLACK_BOT_TOKEN: not a bot token; it starts with xoxb-"}
	case c.AppToken != "" && !strings.HasPrefix(c.AppToken, "xapp-"):
		return c, usageError{"SLACK_APP_TOKEN: not an app-level token; it starts with xapp-"}
	case c.AppToken == "" && c.SigningSecret == "":
		return c, usageError{"SLACK_SIGNING_SECRET: not set; HTTP mode needs it to check that requests come from Slack (or set SLACK_APP_TOKEN for Socket Mode)"}
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return c, usageError{fmt.Sprintf("UPGRADEBOT_ADDR: %q is not host:port, e.g. :3000", c.Addr)}
	}
	u, err := url.Parse(c.APIURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return c, usageError{fmt.Sprintf("SLACK_API_URL: %q is not an http(s) URL like https://slack.com/api/", c.APIURL)}
	}
	if !strings.HasSuffix(c.APIURL, "/") {
		c.APIURL += "/"
	}
	if v := m.Getenv("UPGRADEBOT_SEND_INTERVAL"); v != "" {
		if c.SendInterval, err = time.ParseDuration(v); err != nil || c.SendInterval < 0 {
			return c, usageError{fmt.Sprintf("UPGRADEBOT_SEND_INTERVAL: %q is not a duration like 250ms", v)}
		}
		if c.SendInterval == 0 {
			c.SendInterval = -1 // no wait at all
		}
	}
	return c, nil
}

// minCalendarToken is the shortest calendar feed token accepted.
const minCalendarToken = 20

func cmpOr(v, def string) string {
	if v = strings.TrimSpace(v); v != "" {
		return v
	}
	return def
}

// serve runs the bot on Slack until ctx is done (SIGTERM), then drains:
// the HTTP server stops taking requests and finishes those in flight,
// commands still running finish and queue their replies, the outbox worker
// records the message in flight, and the store is closed by Close.
func (m *Main) serve(ctx context.Context, c slackConfig) error {
	log := m.Logger
	httpClient := &http.Client{Timeout: apiTimeout}
	opts := []slack.Option{slack.OptionHTTPClient(httpClient), slack.OptionAPIURL(c.APIURL)}
	if c.AppToken != "" {
		opts = append(opts, slack.OptionAppLevelToken(c.AppToken))
	}
	api := slack.New(c.BotToken, opts...)
	if err := checkToken(ctx, api, log); err != nil {
		return err
	}
	// From now on the console and exec leave this desk's messages to us.
	if err := m.DB.RecordServe(ctx); err != nil {
		return err
	}
	if s, err := m.DB.Settings(ctx); err != nil {
		return err
	} else if s.IsAdmin(bot.ConsoleUser.ID) {
		log.Warn("the console's user is an admin of this desk, but not in Slack: escalations may go to them; an admin can run /upgrade admin remove <@"+bot.ConsoleUser.ID+">",
			"user", bot.ConsoleUser.ID)
	}

	metrics := slackapp.NewMetrics()
	deliverer := &slackapp.Deliverer{Desk: m.DB, API: api, Bot: m.Bot, Clock: m.Clock, Logger: log, Metrics: metrics,
		HTTPClient: httpClient, Interval: c.SendInterval}
	sl := &slackapp.App{Bot: m.Bot, API: api, Logger: log, Metrics: metrics, Wake: deliverer.Wake}
	srv := &http.Server{
		Handler:           &slackapp.Server{App: sl, SigningSecret: c.SigningSecret, Desk: m.DB, Logger: log, CalendarToken: c.CalendarToken},
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
	}
	sched, err := m.scheduler(ctx)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return usageError{fmt.Sprintf("UPGRADEBOT_ADDR: cannot listen on %s: %v", c.Addr, err)}
	}

	// Everything below stops when ctx is done or one part fails for good.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	workerCtx, stopWorker := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWorker()
	wg.Go(func() {
		if err := deliverer.Run(workerCtx); err != nil {
			cancel(err)
		}
	})
	wg.Go(func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			cancel(fmt.Errorf("http: %w", err))
		}
	})
	wg.Go(func() {
		if err := sched.Run(ctx); err != nil {
			cancel(fmt.Errorf("scheduler: %w", err))
		}
	})
	// Slack's request records are kept while Slack may send a request again
	// (upgradebot.SlackRequestsKept), then forgotten: at start and every
	// hour, by every replica (deleting twice is harmless).
	forget := func() {
		n, err := m.DB.ForgetSlackRequests(ctx, m.Clock.Now().Add(-upgradebot.SlackRequestsKept))
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("old Slack request records not forgotten; trying again in an hour", "err", err)
		case n > 0:
			log.Info("forgot old Slack request records", "records", n)
		}
	}
	wg.Go(func() {
		forget()
		every(ctx, time.Hour, forget)
	})
	mode := "http"
	if c.AppToken != "" {
		mode = "socket"
		sock := &slackapp.Socket{App: sl, Client: socketmode.New(api), Logger: log}
		wg.Go(func() {
			if err := sock.Run(ctx); err != nil {
				cancel(err)
			}
		})
	}
	log.Info("upgradebot serving", "mode", mode, "addr", ln.Addr().String(), "db", m.DB.String())

	<-ctx.Done()
	log.Info("shutting down: draining requests and the outbox worker")
	shutdown, done := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer done()
	if err := srv.Shutdown(shutdown); err != nil {
		log.Warn("http shutdown", "err", err)
	}
	sl.Wait()
	stopWorker()
	wg.Wait()
	if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) {
		if errors.Is(err, slackapp.ErrTokenRevoked) {
			return fmt.Errorf("stopped: %w", err)
		}
		return err
	}
	log.Info("stopped")
	return nil
}

// checkToken asks Slack who the token belongs to. A token Slack refuses
// stops start-up; an unreachable Slack does not (the worker retries).
func checkToken(ctx context.Context, api *slack.Client, log *slog.Logger) error {
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	_, err := api.AuthTestContext(ctx)
	switch {
	case err == nil:
		return nil
	case slackapp.IsAuthError(err):
		return usageError{fmt.Sprintf("SLACK_BOT_TOKEN: Slack refused it (%v); reinstall the app and copy the new token", err)}
	}
	log.Warn("cannot reach Slack to check the token; starting anyway, messages wait in the outbox", "err", err)
	return nil
}
