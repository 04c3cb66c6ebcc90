package slack

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
)

// Slack puts the bot on Slack. The HTTP server and the Socket Mode client
// both hand what Slack sent to Command, Interaction and Event, so each
// feature has one code path whatever the transport.
//
// Errors these methods return are failures worth a retry (the database is
// down); anything a person did wrong is answered, not returned.
type App struct {
	Bot *bot.Bot
	// API is the Web API client for the few calls that must happen inside a
	// request (views.open needs a trigger_id that lasts 3 seconds). Nothing
	// here retries: retries belong to the outbox worker.
	API     *slack.Client
	Logger  *slog.Logger
	Metrics *Metrics
	// Wake, if set, tells the outbox worker that messages were queued.
	Wake func()
	// ReplyWithin is how long Command waits for a command's reply before it
	// acknowledges with "Working on it…" and sends the reply later through
	// response_url. Slack gives up after 3 seconds; 0 means DefaultReplyWithin.
	ReplyWithin time.Duration

	late sync.WaitGroup // commands still running after their acknowledgement
	seen sync.Map       // user id -> name already remembered by this process
}

// DefaultReplyWithin leaves a second of Slack's 3 for the network.
const DefaultReplyWithin = 2 * time.Second

// Ids in the Block Kit the bot sends and reads back.
const (
	ActionApprove        = "decision_approve" // button on a decision card; value: decision id
	ActionApproveComment = "decision_comment" // button on a decision card; opens CallbackApprove
	ActionReject         = "decision_reject"  // button on a decision card; opens CallbackReject
	// The buttons of a task item (ItemBlocks), in a block whose id
	// (ItemBlockID) names the task and the message they are in.
	ActionDone      = "task_done"        // value: task id
	ActionSnooze    = "task_snooze"      // static select; option value: task id:days
	ActionNewDate   = "task_due"         // datepicker; the task from the block id
	ActionOpen      = "task_open"        // value: task id; opens the task in a modal
	ActionUndo      = "task_undo"        // value: task id; takes back one's own done
	ActionAddTask   = "add_task"         // App Home button; opens CallbackAddTask
	CallbackAddTask = "add_task"         // the modal /upgrade add opens with no text
	CallbackReject  = "reject_decision"  // the reason modal; private_metadata: decision id
	CallbackApprove = "approve_decision" // the comment modal; private_metadata: decision id
	CallbackTask    = "show_task"        // a task, read-only
)

// WorkingText is the acknowledgement of a command that is taking longer
// than ReplyWithin; its reply follows through response_url.
const WorkingText = "Working on it…"

// viewsOpenTimeout bounds views.open: a trigger_id is worthless after 3 s.
const viewsOpenTimeout = 2500 * time.Millisecond

// releaseMenuTimeout bounds reading the releases for the add-task modal; if
// the read is slower, the modal asks for a release key as text instead.
const releaseMenuTimeout = 300 * time.Millisecond

// Wait blocks until every command that outlived its acknowledgement has
// finished and queued its reply. Call it when shutting down, after the
// transports have stopped taking requests.
func (s *App) Wait() { s.late.Wait() }

func (s *App) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

func (s *App) wake() {
	if s.Wake != nil {
		s.Wake()
	}
}

// Command handles a slash command and returns the immediate reply (nil for
// an empty 200, e.g. when a modal was opened). `/upgrade` alone or
// `/upgrade add` opens the add-task modal; anything else runs as a command.
// A command that takes longer than ReplyWithin is acknowledged with
// WorkingText and its reply queued for response_url when it is done.
//
// Each command is recorded by its trigger_id (see upgradebot.WithTrigger),
// and one that arrives again, a replayed request, is answered AlreadyDone
// and writes nothing. Opening the modal records nothing: Slack takes a
// trigger_id for views.open once.
func (s *App) Command(ctx context.Context, cmd slack.SlashCommand) (*slack.Msg, error) {
	text := strings.TrimSpace(cmd.Text)
	if text == "" || strings.EqualFold(text, "add") {
		// views.open first: the trigger_id expires in 3 seconds.
		msg := s.openAddTask(ctx, cmd)
		s.remember(ctx, cmd.UserID, cmd.UserName)
		return msg, nil
	}

	req := bot.Request{User: cmd.UserID, Text: cmd.Text, Channel: cmd.ChannelID}
	done := make(chan bot.Reply) // the reply, while the request still waits for it
	gone := make(chan struct{})  // closed when the request has been acknowledged
	s.late.Add(1)
	go func() {
		defer s.late.Done()
		// The work outlives the request if it has to: a command that was
		// acknowledged still finishes and its reply is sent later.
		ctx := context.WithoutCancel(ctx)
		r := s.run(ctx, cmd, req)
		select {
		case done <- r:
		case <-gone:
			s.lateReply(ctx, cmd, r)
		}
	}()

	wait := s.ReplyWithin
	if wait <= 0 {
		wait = DefaultReplyWithin
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case r := <-done:
		return ReplyMessage(r), nil
	case <-timer.C:
		close(gone)
		s.logger().Info("slow command acknowledged; the reply follows by response_url",
			"user", cmd.UserID, "command", bot.CommandName(cmd.Text), "waited", wait)
		return ReplyMessage(bot.Reply{Text: WorkingText}), nil
	}
}

// run remembers who typed the command and runs it, once per trigger_id: a
// request that arrives again is answered AlreadyDone. It runs on its own
// goroutine, so it recovers a panic itself, turning it into a failed reply.
func (s *App) run(ctx context.Context, cmd slack.SlashCommand, req bot.Request) (r bot.Reply) {
	defer func() {
		if p := recover(); p != nil {
			s.logger().Error("command panicked", "user", req.User, "command", bot.CommandName(req.Text), "panic", fmt.Sprint(p))
			r = bot.Reply{Text: upgradebot.ErrorMessage(errors.New("panic")), Failed: true}
		}
	}()
	ctx, trigger, replay, err := s.begin(ctx, requestKey(cmd.TriggerID, cmd.UserID, cmd.Text))
	if err != nil {
		s.logger().Error("command failed", "user", req.User, "command", bot.CommandName(req.Text), "err", err)
		return bot.Reply{Text: upgradebot.ErrorMessage(err), Failed: true}
	}
	if replay {
		s.logger().Warn("slash command arrived again; not run again", "user", req.User, "command", bot.CommandName(req.Text))
		return bot.Reply{Text: upgradebot.AlreadyDone, Failed: true}
	}
	s.remember(ctx, cmd.UserID, cmd.UserName)
	r = s.Bot.Handle(ctx, req)
	s.settle(ctx, trigger)
	if !r.Failed {
		s.wake() // what it queued (DMs, App Home refreshes) goes out now
	}
	return r
}

// requestKey names one Slack request for replay protection: its trigger_id
// and a short digest of who sent what. A replay is the same request again,
// so it has the same key; Slack gives every request a trigger_id of its own,
// and a client that reuses one for different commands (a load tool) still
// has each of them run. "" without a trigger_id.
func requestKey(triggerID string, parts ...string) string {
	if triggerID == "" {
		return ""
	}
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return triggerID + "/" + hex.EncodeToString(h.Sum(nil))[:16]
}

// interactionContent is what a click or a form submission carries, for
// requestKey.
func interactionContent(ic slack.InteractionCallback) string {
	var b strings.Builder
	b.WriteString(string(ic.Type) + "\x00" + ic.View.CallbackID + "\x00" + ic.View.PrivateMetadata)
	for _, a := range ic.ActionCallback.BlockActions {
		b.WriteString("\x00" + a.ActionID + "=" + a.Value)
	}
	return b.String()
}

// begin starts handling a request Slack named by triggerID: it returns
// ctx for the request's writes (upgradebot.WithTrigger) and reports whether
// the request was handled before, when it must not run again. A request
// without a trigger_id has no trigger.
func (s *App) begin(ctx context.Context, triggerID string) (context.Context, *upgradebot.Trigger, bool, error) {
	if triggerID == "" {
		return ctx, nil, false, nil
	}
	seen, err := s.Bot.Desk.TriggerSeen(ctx, triggerID)
	if err != nil {
		return ctx, nil, false, fmt.Errorf("bot: trigger seen: %w", err)
	}
	ctx, trigger := upgradebot.WithTrigger(ctx, triggerID)
	return ctx, trigger, seen, nil
}

// settle records the trigger of a request that wrote nothing (it read, or
// was refused), so that it does not run again either; a failure is only
// logged.
func (s *App) settle(ctx context.Context, trigger *upgradebot.Trigger) {
	if trigger == nil || trigger.Recorded() {
		return
	}
	if err := s.Bot.Desk.RecordTrigger(ctx); err != nil && !errors.Is(err, upgradebot.ErrAlreadyDone) {
		s.logger().Warn("record trigger", "err", err)
	}
}

// lateReply queues the reply of an acknowledged command for response_url.
func (s *App) lateReply(ctx context.Context, cmd slack.SlashCommand, r bot.Reply) {
	if cmd.ResponseURL == "" {
		s.logger().Warn("slow command has no response_url; its reply is lost", "user", cmd.UserID, "command", bot.CommandName(cmd.Text))
		return
	}
	s.queue(ctx, "late reply", upgradebot.Message{Kind: upgradebot.MessageResponse, To: cmd.ResponseURL, Text: r.Text})
}

// queue adds msgs to the outbox and wakes the worker; a failure is logged,
// as there is nobody left to tell.
func (s *App) queue(ctx context.Context, what string, msgs ...upgradebot.Message) {
	if len(msgs) == 0 {
		return
	}
	if err := s.Bot.Desk.QueueMessages(ctx, msgs); err != nil {
		s.logger().Error("queue messages", "what", what, "err", err)
		return
	}
	s.wake()
}

// remember records the name Slack showed for user, once per process and
// name, so replies can show names; failures are only logged.
func (s *App) remember(ctx context.Context, user, name string) {
	if name == "" || !upgradebot.ValidUserID(user) {
		return
	}
	if old, ok := s.seen.Load(user); ok && old == name {
		return
	}
	if err := s.Bot.Desk.RememberPeople(ctx, []upgradebot.Person{{ID: user, Name: name}}); err != nil {
		s.logger().Warn("remember people", "user", user, "err", err)
		return
	}
	s.seen.Store(user, name)
}

// openAddTask opens the add-task modal, or says why it could not.
func (s *App) openAddTask(ctx context.Context, cmd slack.SlashCommand) *slack.Msg {
	if err := s.openAddTaskView(ctx, cmd.TriggerID, cmd.UserID); err != nil {
		return ReplyMessage(bot.Reply{Failed: true,
			Text: "I couldn't open the form. Add the task with `/upgrade add <title> [due:<date>] [@user]` instead."})
	}
	return nil
}

// openAddTaskView opens the add-task modal for trigger triggerID; a
// failure is logged and returned.
func (s *App) openAddTaskView(ctx context.Context, triggerID, user string) error {
	rctx, cancel := context.WithTimeout(ctx, releaseMenuTimeout)
	releases, err := s.upcomingReleases(rctx)
	cancel()
	if err != nil {
		s.logger().Warn("add-task modal: releases not read; asking for a key instead", "err", err)
		releases = nil
	}
	var sites []upgradebot.Site
	if st, err := s.Bot.Desk.Settings(ctx); err == nil {
		sites = st.Sites
	} else {
		s.logger().Warn("add-task modal: sites not read; the form goes without them", "err", err)
	}
	if err := s.openView(ctx, triggerID, AddTaskModal(releases, sites...)); err != nil {
		s.logger().Error("open add-task modal", "user", user, "err", err)
		return err
	}
	return nil
}

// upcomingReleases are the releases worth offering for new work: those
// that went GA in the last six months or are still to come.
func (s *App) upcomingReleases(ctx context.Context) ([]*upgradebot.Release, error) {
	settings, err := s.Bot.Desk.Settings(ctx)
	if err != nil {
		return nil, fmt.Errorf("bot: upcoming releases: %w", err)
	}
	today := upgradebot.Today(s.Bot.Clock.Now(), settings.Location())
	rs, err := s.Bot.Desk.FindReleases(ctx, upgradebot.ReleaseFilter{GAFrom: today.AddMonths(-6)})
	if err != nil {
		return nil, fmt.Errorf("bot: upcoming releases: %w", err)
	}
	return rs, nil
}

func (s *App) openView(ctx context.Context, triggerID string, view slack.ModalViewRequest) error {
	if s.API == nil {
		return fmt.Errorf("bot: views.open: no Web API client")
	}
	ctx, cancel := context.WithTimeout(ctx, viewsOpenTimeout)
	defer cancel()
	if _, err := s.API.OpenViewContext(ctx, triggerID, view); err != nil {
		return fmt.Errorf("bot: views.open %s: %w", view.CallbackID, err)
	}
	return nil
}

// Interaction handles block_actions and view_submission payloads. For a
// view submission it returns the body to answer with (a response_action,
// or nil to close the modal); otherwise nil. Like a command, an
// interaction that arrives again (the same trigger_id) changes nothing, and
// is answered with an empty 200.
func (s *App) Interaction(ctx context.Context, ic slack.InteractionCallback) (any, error) {
	user := ic.User.ID
	if !upgradebot.ValidUserID(user) {
		s.logger().Warn("interaction without a user; ignored", "type", ic.Type)
		return nil, nil
	}
	if !opensForm(ic) {
		var trigger *upgradebot.Trigger
		var replay bool
		var err error
		if ctx, trigger, replay, err = s.begin(ctx, requestKey(ic.TriggerID, user, interactionContent(ic))); err != nil {
			return nil, err
		}
		if replay {
			s.logger().Warn("interaction arrived again; not run again", "type", ic.Type, "user", user)
			return nil, nil
		}
		defer s.settle(ctx, trigger)
	}
	switch ic.Type {
	case slack.InteractionTypeBlockActions:
		for _, a := range ic.ActionCallback.BlockActions {
			if err := s.blockAction(ctx, ic, a); err != nil {
				return nil, err
			}
		}
		s.remember(ctx, user, ic.User.Name)
		return nil, nil
	case slack.InteractionTypeViewSubmission:
		s.remember(ctx, user, ic.User.Name)
		switch ic.View.CallbackID {
		case CallbackAddTask:
			return s.submitAddTask(ctx, user, ic.View)
		case CallbackReject:
			return s.submitReject(ctx, user, ic.View)
		case CallbackApprove:
			return s.submitApprove(ctx, user, ic.View)
		}
	}
	return nil, nil
}

// opensForm reports whether an interaction only opens a modal: Slack takes
// a trigger_id for views.open once, so such a request cannot run twice and
// is not recorded.
func opensForm(ic slack.InteractionCallback) bool {
	actions := ic.ActionCallback.BlockActions
	if ic.Type != slack.InteractionTypeBlockActions || len(actions) == 0 {
		return false
	}
	for _, a := range actions {
		switch a.ActionID {
		case ActionReject, ActionApproveComment, ActionOpen, ActionAddTask:
		default:
			return false
		}
	}
	return true
}

// blockAction handles one button click (or a pick from a menu or a date
// picker beside a task).
func (s *App) blockAction(ctx context.Context, ic slack.InteractionCallback, a *slack.BlockAction) error {
	user := ic.User.ID
	switch a.ActionID {
	case ActionAddTask:
		if err := s.openAddTaskView(ctx, ic.TriggerID, user); err != nil {
			return s.refuse(ctx, ic, "add", upgradebot.Errorf(upgradebot.EINTERNAL,
				"I couldn't open the form. Add the task with `/upgrade add <title> [due:<date>] [@user]` instead."))
		}
		return nil
	case ActionSnooze, ActionNewDate:
		return s.taskDate(ctx, ic, a)
	}
	var id int64
	switch a.ActionID {
	case ActionApprove, ActionApproveComment, ActionReject, ActionDone, ActionOpen, ActionUndo:
		var err error
		if id, err = strconv.ParseInt(a.Value, 10, 64); err != nil || id <= 0 {
			s.logger().Warn("button without an id; ignored", "action", a.ActionID, "user", user)
			return nil
		}
	default:
		return nil
	}
	switch a.ActionID {
	case ActionApprove:
		// Every card of the decision, the one tapped included, is updated
		// in place in the decision's transaction: that is the answer.
		d, err := s.Bot.Desk.Decide(ctx, user, id, upgradebot.DecisionApproved, "")
		if err != nil {
			return s.refuse(ctx, ic, "approve", err)
		}
		s.logger().Info("decision approved by button", "user", user, "decision", d.ID)
		s.wake()
	case ActionApproveComment, ActionReject:
		d := s.decisionToAnswer(ctx, id)
		view, what := ApproveModal(d), "approve"
		if a.ActionID == ActionReject {
			view, what = RejectModal(d), "reject"
		}
		if err := s.openView(ctx, ic.TriggerID, view); err != nil {
			s.logger().Error("open decision modal", "user", user, "decision", id, "err", err)
			how := fmt.Sprintf("`/upgrade approve %d <comment>`", id)
			if what == "reject" {
				how = fmt.Sprintf("`/upgrade reject %d <reason>`", id)
			}
			return s.refuse(ctx, ic, what, upgradebot.Errorf(upgradebot.EINTERNAL, "I couldn't open the form. Answer with %s instead.", how))
		}
	case ActionOpen:
		r := s.Bot.Handle(ctx, bot.Request{User: user, Text: fmt.Sprintf("show %d", id)})
		if r.Failed {
			return s.refuse(ctx, ic, "open", upgradebot.Errorf(upgradebot.ENOTFOUND, "%s", r.Text))
		}
		if err := s.openView(ctx, ic.TriggerID, TaskModal(id, upgradebot.ForViewer(r.Text, user))); err != nil {
			s.logger().Error("open task modal", "user", user, "task", id, "err", err)
			return s.refuse(ctx, ic, "open", upgradebot.Errorf(upgradebot.EINTERNAL, "I couldn't open it. `/upgrade show %d` shows it.", id))
		}
	case ActionDone:
		// Closing the task refreshes the App Homes it changes, in its own
		// transaction.
		_, _, err := s.Bot.Desk.CompleteTask(ctx, user, id, "")
		if err != nil && upgradebot.ErrorCode(err) == upgradebot.EINTERNAL {
			return fmt.Errorf("bot: done button: %w", err)
		}
		s.wake()
		if err != nil {
			// Refresh the clicker's home even when refused: the task was
			// probably closed by someone else, and the home still shows it.
			s.queue(ctx, "home refresh", upgradebot.HomeMessage(user))
			s.refreshItems(ctx, user, a.BlockID)
			return s.refuse(ctx, ic, "done", err)
		}
		s.refreshItems(ctx, user, a.BlockID)
	case ActionUndo:
		if err := s.undoDone(ctx, user, id); err != nil {
			if upgradebot.ErrorCode(err) == upgradebot.EINTERNAL {
				return fmt.Errorf("bot: undo button: %w", err)
			}
			s.refreshItems(ctx, user, a.BlockID)
			return s.refuse(ctx, ic, "undo", err)
		}
		s.wake()
		s.refreshItems(ctx, user, a.BlockID)
	}
	return nil
}

// decisionToAnswer reads decision id for a form that restates its
// question, or, when it cannot be read in time, knows only its id (the
// submission is checked anyway).
func (s *App) decisionToAnswer(ctx context.Context, id int64) *upgradebot.Decision {
	rctx, cancel := context.WithTimeout(ctx, releaseMenuTimeout)
	defer cancel()
	ds, err := s.Bot.Desk.FindDecisions(rctx, upgradebot.DecisionFilter{ID: id})
	if err != nil || len(ds) != 1 {
		return &upgradebot.Decision{ID: id}
	}
	return ds[0]
}

// taskDate moves a task's due date from its Snooze menu (a day, a week or
// two weeks on from its due date, or from today when it is overdue or
// has none) or its New date picker, as `/upgrade due` does.
func (s *App) taskDate(ctx context.Context, ic slack.InteractionCallback, a *slack.BlockAction) error {
	user := ic.User.ID
	settings, err := s.Bot.Desk.Settings(ctx)
	if err != nil {
		return fmt.Errorf("bot: task date: %w", err)
	}
	today := upgradebot.Today(s.Bot.Clock.Now(), settings.Location())
	var id int64
	var due upgradebot.Date
	if a.ActionID == ActionSnooze {
		v, n, _ := strings.Cut(a.SelectedOption.Value, ":")
		id, _ = strconv.ParseInt(v, 10, 64)
		days, err := strconv.Atoi(n)
		if id <= 0 || err != nil || days < 1 || days > 366 {
			s.logger().Warn("snooze without a task or a span; ignored", "user", user)
			return nil
		}
		t, err := s.Bot.Desk.FindTaskByID(ctx, id)
		if err != nil {
			return s.refuse(ctx, ic, "snooze", err)
		}
		from := today
		if t.Due.After(today) {
			from = t.Due
		}
		due = from.AddDays(days)
	} else {
		task, _, ok := parseItemBlock(a.BlockID)
		d, err := upgradebot.ParseDate(a.SelectedDate)
		if !ok || err != nil || d.IsZero() {
			s.logger().Warn("date picker without a task or a date; ignored", "user", user)
			return nil
		}
		if d.Before(today) {
			return s.refuse(ctx, ic, "new date", upgradebot.Errorf(upgradebot.EINVALID,
				"%s is already past; pick today or later.", d.Relative(today)))
		}
		id, due = task, d
	}
	if _, err := s.Bot.Desk.SetTaskDue(ctx, user, id, due); err != nil {
		if upgradebot.ErrorCode(err) == upgradebot.EINTERNAL {
			return fmt.Errorf("bot: task date: %w", err)
		}
		s.refreshItems(ctx, user, a.BlockID)
		return s.refuse(ctx, ic, "new date", err)
	}
	s.wake()
	s.refreshItems(ctx, user, a.BlockID)
	return nil
}

// undoDone takes back user's Done of task id with the undo command's
// Desk method, once it is sure that their last change to tasks is that
// Done: undo takes back the last change, which must not be another one.
func (s *App) undoDone(ctx context.Context, user string, id int64) error {
	rows, err := s.Bot.Desk.FindAudit(ctx, upgradebot.AuditFilter{Actor: user, Entity: "task", Limit: 20})
	if err != nil {
		return fmt.Errorf("read your last change: %w", err)
	}
	for _, r := range rows {
		switch {
		case r.Action == "task.note" || r.Action == "task.add":
			continue // a note, or the next occurrence a done schedules
		case r.Action != "task.done" || r.EntityID != id:
			return upgradebot.Errorf(upgradebot.ECONFLICT,
				"Undo here takes back your Done of #%d, and you have changed tasks since: `/upgrade undo` takes back your last change, `/upgrade reopen %d` opens #%d again.", id, id, id)
		}
		_, err := s.Bot.Desk.UndoTaskChange(ctx, user)
		return err
	}
	return upgradebot.Errorf(upgradebot.ECONFLICT, "You have not marked #%d done: nothing to undo.", id)
}

// refreshItems updates in place the message whose task buttons were
// tapped (its outbox id is in blockID, see ItemBlockID): each of its tasks
// as it now stands, a closed one saying who closed it and when (with Undo
// for the person who did, for a while). Only a DM to user is updated;
// a failure is only logged, as the change itself is made.
func (s *App) refreshItems(ctx context.Context, user, blockID string) {
	_, msg, ok := parseItemBlock(blockID)
	if !ok || msg == 0 {
		return
	}
	m, err := s.Bot.Desk.FindMessage(ctx, msg)
	if err != nil || m.Kind != upgradebot.MessageDM || m.To != user || len(m.Items) == 0 {
		if err != nil && upgradebot.ErrorCode(err) != upgradebot.ENOTFOUND {
			s.logger().Warn("tapped message not read; not updated", "message", msg, "err", err)
		}
		return
	}
	settings, err := s.Bot.Desk.Settings(ctx)
	if err != nil {
		s.logger().Warn("tapped message not updated", "message", msg, "err", err)
		return
	}
	now := s.Bot.Clock.Now()
	items := make([]upgradebot.Item, len(m.Items))
	for i, it := range m.Items {
		items[i] = it
		if t, err := s.Bot.Desk.FindTaskByID(ctx, it.Task); err == nil {
			items[i] = upgradebot.RefreshItem(it, t, user, now, settings.Location())
		}
	}
	s.queue(ctx, "update in place", upgradebot.Message{Kind: upgradebot.MessageUpdate, To: user, UpdateOf: msg,
		Text: m.Text, Items: items, Footer: m.Footer})
}

// refuse tells the clicker why a click changed nothing, ephemerally through
// the response_url when Slack gave one (buttons in messages have one, the
// App Home's do not). A failure that is not an *upgradebot.Error is
// returned instead, so the transport logs it and reports a failure.
func (s *App) refuse(ctx context.Context, ic slack.InteractionCallback, what string, err error) error {
	var uerr *upgradebot.Error
	if !errors.As(err, &uerr) {
		return fmt.Errorf("bot: %s button: %w", what, err)
	}
	s.logger().Info("button refused", "action", what, "user", ic.User.ID, "code", uerr.Code)
	if ic.ResponseURL != "" {
		s.queue(ctx, "refusal", upgradebot.Message{Kind: upgradebot.MessageResponse, To: ic.ResponseURL, Text: uerr.Message})
	}
	return nil
}

// submitAddTask creates the task from the add-task modal, or shows what is
// wrong on the fields.
func (s *App) submitAddTask(ctx context.Context, user string, v slack.View) (any, error) {
	settings, err := s.Bot.Desk.Settings(ctx)
	if err != nil {
		return s.submitFailed(BlockTitle, fmt.Errorf("bot: add-task modal: %w", err)), nil
	}
	t, problems := ParseAddTask(v, upgradebot.Today(s.Bot.Clock.Now(), settings.Location()))
	if problems != nil {
		return slack.NewErrorsViewSubmissionResponse(problems), nil
	}
	if err := s.Bot.Desk.CreateTask(ctx, user, t); err != nil {
		if upgradebot.ErrorCode(err) == upgradebot.EINTERNAL {
			return s.submitFailed(BlockTitle, fmt.Errorf("bot: add-task modal: %w", err)), nil
		}
		return slack.NewErrorsViewSubmissionResponse(map[string]string{blockForTaskError(err): fieldMessage(err)}), nil
	}
	s.logger().Info("task added from the modal", "user", user, "task", t.ID)
	s.wake()
	return nil, nil
}

// submitReject rejects the decision with the reason from the modal; a
// refusal (not the decider, already decided) is shown on the reason field.
func (s *App) submitReject(ctx context.Context, user string, v slack.View) (any, error) {
	id, reason, ok := ParseReason(v)
	if !ok {
		s.logger().Warn("reject modal without a decision id; ignored", "user", user)
		return nil, nil
	}
	if strings.TrimSpace(reason) == "" {
		return slack.NewErrorsViewSubmissionResponse(map[string]string{BlockReason: "Say why: the requester sees the reason."}), nil
	}
	d, err := s.Bot.Desk.Decide(ctx, user, id, upgradebot.DecisionRejected, reason)
	if err != nil {
		if upgradebot.ErrorCode(err) == upgradebot.EINTERNAL {
			return s.submitFailed(BlockReason, fmt.Errorf("bot: reject modal: %w", err)), nil
		}
		return slack.NewErrorsViewSubmissionResponse(map[string]string{BlockReason: upgradebot.ErrorMessage(err)}), nil
	}
	s.logger().Info("decision rejected from the modal", "user", user, "decision", d.ID)
	s.wake()
	return nil, nil
}

// submitApprove approves the decision with the comment from the modal
// (none when left empty); a refusal is shown on the comment field.
func (s *App) submitApprove(ctx context.Context, user string, v slack.View) (any, error) {
	id, comment, ok := ParseComment(v)
	if !ok {
		s.logger().Warn("approve modal without a decision id; ignored", "user", user)
		return nil, nil
	}
	d, err := s.Bot.Desk.Decide(ctx, user, id, upgradebot.DecisionApproved, comment)
	if err != nil {
		if upgradebot.ErrorCode(err) == upgradebot.EINTERNAL {
			return s.submitFailed(BlockComment, fmt.Errorf("bot: approve modal: %w", err)), nil
		}
		return slack.NewErrorsViewSubmissionResponse(map[string]string{BlockComment: upgradebot.ErrorMessage(err)}), nil
	}
	s.logger().Info("decision approved from the modal", "user", user, "decision", d.ID)
	s.wake()
	return nil, nil
}

// submitFailed logs an internal failure and keeps the modal open with a
// generic message on block, so what the user typed is not lost.
func (s *App) submitFailed(block string, err error) *slack.ViewSubmissionResponse {
	s.logger().Error("modal submission failed", "err", err)
	return slack.NewErrorsViewSubmissionResponse(map[string]string{block: upgradebot.ErrorMessage(err)})
}

// Event handles one Events API event_callback. eventID de-duplicates
// Slack's retries and duplicate deliveries: every id is recorded, and an id
// seen before does nothing. app_home_opened on the Home tab queues a
// refresh of the viewer's home; other events are recorded and ignored.
func (s *App) Event(ctx context.Context, eventID string, ev slackevents.EventsAPIEvent) error {
	if eventID == "" {
		s.logger().Warn("event without an event_id; ignored", "type", ev.InnerEvent.Type)
		return nil
	}
	var msgs []upgradebot.Message
	if e, ok := ev.InnerEvent.Data.(*slackevents.AppHomeOpenedEvent); ok && e.Tab == "home" && upgradebot.ValidUserID(e.User) {
		msgs = append(msgs, upgradebot.HomeMessage(e.User))
	}
	fresh, err := s.Bot.Desk.RecordEvent(ctx, eventID, msgs)
	if err != nil {
		return fmt.Errorf("bot: event %s: %w", ev.InnerEvent.Type, err)
	}
	if !fresh {
		s.logger().Info("duplicate event ignored", "event_id", eventID, "type", ev.InnerEvent.Type)
		return nil
	}
	if len(msgs) > 0 {
		s.wake()
	}
	return nil
}
