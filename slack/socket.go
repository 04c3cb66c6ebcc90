package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// Socket runs the bot over Socket Mode: Slack pushes commands, clicks and
// events down a WebSocket the bot opened, so no public URL is needed (most
// hospital networks have none). Each envelope goes to the same Slack
// methods the HTTP server calls, and is acknowledged explicitly as soon as
// it has been handled, with the reply as the acknowledgement's payload.
//
// The slack-go client reconnects on its own after Slack's disconnect
// (warning, refresh) and after network loss, with backoff. A token Slack
// refuses ends Run with an error wrapping ErrTokenRevoked.
type Socket struct {
	App    *App
	Client *socketmode.Client
	Logger *slog.Logger
}

// authErrors are the Slack error codes that mean a token will never work:
// retrying cannot help, so the bot stops (ErrTokenRevoked).
var authErrors = map[string]bool{
	"invalid_auth": true, "not_authed": true, "token_revoked": true, "account_inactive": true,
	"token_expired": true, "not_allowed_token_type": true, "app_uninstalled": true,
}

// IsAuthError reports whether err is Slack refusing the token.
func IsAuthError(err error) bool {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		return authErrors[se.Err]
	}
	return err != nil && authErrors[err.Error()]
}

// Run connects and handles envelopes until ctx is done (nil) or the
// connection fails for good (an error; ErrTokenRevoked for a refused token).
func (s *Socket) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait() // requests in flight finish before Run returns
	}()
	wg.Go(func() {
		for {
			select {
			case <-ctx.Done():
				return
			case evt, ok := <-s.Client.Events:
				if !ok {
					return
				}
				s.event(ctx, &wg, evt)
			}
		}
	})
	err := s.Client.RunContext(ctx)
	switch {
	case ctx.Err() != nil:
		return nil
	case IsAuthError(err):
		return fmt.Errorf("%w (socket mode: %v)", ErrTokenRevoked, err)
	}
	return fmt.Errorf("bot: socket mode: %w", err)
}

// event handles one thing the client emitted; requests are handled
// concurrently so a slow one does not hold up the rest.
func (s *Socket) event(ctx context.Context, wg *sync.WaitGroup, evt socketmode.Event) {
	log := s.logger()
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		log.Info("socket mode: connecting")
	case socketmode.EventTypeConnected:
		log.Info("socket mode: connected")
	case socketmode.EventTypeConnectionError:
		log.Warn("socket mode: connection failed; retrying", "err", evt.Data)
	case socketmode.EventTypeDisconnect:
		reason := ""
		if evt.Request != nil {
			reason = evt.Request.Reason
		}
		log.Info("socket mode: Slack asked to reconnect", "reason", reason)
	case socketmode.EventTypeInvalidAuth:
		log.Error("socket mode: Slack refused the app token")
	case socketmode.EventTypeSlashCommand, socketmode.EventTypeInteractive, socketmode.EventTypeEventsAPI:
		if evt.Request == nil {
			return
		}
		wg.Go(func() { s.request(ctx, evt) })
	}
}

// request handles one envelope and acknowledges it. An envelope whose
// handling failed is not acknowledged, so Slack delivers it again.
func (s *Socket) request(ctx context.Context, evt socketmode.Event) {
	var payload any
	var err error
	switch evt.Type {
	case socketmode.EventTypeSlashCommand:
		cmd, _ := evt.Data.(slack.SlashCommand)
		var msg *slack.Msg
		if msg, err = s.App.Command(ctx, cmd); msg != nil {
			payload = msg
		}
	case socketmode.EventTypeInteractive:
		ic, _ := evt.Data.(slack.InteractionCallback)
		payload, err = s.App.Interaction(ctx, ic)
	case socketmode.EventTypeEventsAPI:
		ev, _ := evt.Data.(slackevents.EventsAPIEvent)
		id := ""
		if cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent); ok {
			id = cb.EventID
		}
		err = s.App.Event(ctx, id, ev)
	}
	if err != nil {
		s.logger().Error("socket mode: request failed; not acknowledged so Slack retries", "type", evt.Type, "err", err)
		return
	}
	if err := s.Client.AckCtx(ctx, evt.Request.EnvelopeID, payload); err != nil {
		s.logger().Error("socket mode: acknowledge", "type", evt.Type, "err", err)
	}
}

func (s *Socket) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.Default()
	}
	return s.Logger
}
