package bot

import (
	"context"
	"errors"
	"log/slog"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// Slack puts the bot on Slack. The HTTP server and the Socket Mode client
// both hand what Slack sent to Command, Interaction and Event, so each
// feature has one code path whatever the transport.
type Slack struct {
	Bot *Bot
	// API is the Web API client for the few calls that must happen inside a
	// request (views.open needs a trigger_id that lasts 3 seconds). Nothing
	// here retries: retries belong to the outbox worker.
	API     *slack.Client
	Logger  *slog.Logger
	Metrics *Metrics
	// Wake, if set, tells the outbox worker that messages were queued.
	Wake func()
}

// Ids in the Block Kit the bot sends and reads back.
const (
	ActionApprove   = "decision_approve" // button on a decision DM; value: decision id
	ActionReject    = "decision_reject"  // button on a decision DM; opens CallbackReject
	ActionDone      = "task_done"        // App Home button; value: task id
	CallbackAddTask = "add_task"         // the modal /upgrade add opens with no text
	CallbackReject  = "reject_decision"  // the reason modal; private_metadata: decision id
)

var errUnimplemented = errors.New("bot: not implemented yet")

// Command handles a slash command and returns the immediate reply (nil for
// an empty 200, e.g. when a modal was opened).
func (s *Slack) Command(ctx context.Context, cmd slack.SlashCommand) (*slack.Msg, error) {
	return nil, errUnimplemented
}

// Interaction handles block_actions and view_submission payloads. For a
// view submission it returns the body to answer with (a response_action,
// or nil to close the modal); otherwise nil.
func (s *Slack) Interaction(ctx context.Context, ic slack.InteractionCallback) (any, error) {
	return nil, errUnimplemented
}

// Event handles one Events API event_callback. eventID de-duplicates
// Slack's retries and duplicate deliveries.
func (s *Slack) Event(ctx context.Context, eventID string, ev slackevents.EventsAPIEvent) error {
	return errUnimplemented
}
