package slack

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/slack-go/slack"
	"github.com/upgradebot/upgradebot"
)

// Block ids of the modals' input blocks; a response_action "errors" names
// them. Each input's element has the action id of the matching Input*
// constant, so a submission's state is values[Block…][Input…].
const (
	BlockTitle    = "task_title"
	BlockAssignee = "task_assignee"
	BlockDue      = "task_due"
	BlockKind     = "task_kind"
	BlockPriority = "task_priority"
	BlockRelease  = "task_release"
	BlockSite     = "task_site"
	BlockReason   = "reject_reason"
	BlockComment  = "approve_comment"

	InputTitle    = "title"    // plain_text_input
	InputAssignee = "assignee" // users_select
	InputDue      = "due"      // datepicker, YYYY-MM-DD
	InputKind     = "kind"     // static_select of upgradebot.TaskKinds
	InputPriority = "priority" // static_select of upgradebot.Priorities
	InputRelease  = "release"  // static_select of release keys, or plain_text_input when there are none
	InputSite     = "site"     // static_select of the team's site keys; only when it has sites
	InputReason   = "reason"   // multiline plain_text_input
	InputComment  = "comment"  // multiline plain_text_input, optional
)

// maxReleaseOptions is Slack's limit on the options of a static_select.
const maxReleaseOptions = 100

func plain(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
}

func option(value, label string) *slack.OptionBlockObject {
	return slack.NewOptionBlockObject(value, plain(label), nil)
}

// AddTaskModal is the modal `/upgrade add` opens when given no text. The
// release is a menu of releases (at most 100, in the order given) or, when
// there are none, a text field for a release key. A team with sites gets a
// menu of them too (none chosen: the whole system).
func AddTaskModal(releases []*upgradebot.Release, sites ...upgradebot.Site) slack.ModalViewRequest {
	title := slack.NewPlainTextInputBlockElement(plain("e.g. Regression-test the lab interfaces"), InputTitle).
		WithMaxLength(upgradebot.MaxTitleLen)
	assignee := slack.NewOptionsSelectBlockElement(slack.OptTypeUser, plain("Who does it?"), InputAssignee)
	due := slack.NewDatePickerBlockElement(InputDue)
	due.Placeholder = plain("Pick a day")

	var kinds []*slack.OptionBlockObject
	for _, k := range upgradebot.TaskKinds {
		kinds = append(kinds, option(string(k), upgradebot.UpperFirst(k.Human())))
	}
	kind := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Kind"), InputKind, kinds...).
		WithInitialOption(kinds[0])

	var prios []*slack.OptionBlockObject
	var normal *slack.OptionBlockObject
	for _, p := range upgradebot.Priorities {
		o := option(string(p), upgradebot.UpperFirst(string(p)))
		if p == upgradebot.PriorityNormal {
			normal = o
		}
		prios = append(prios, o)
	}
	prio := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Priority"), InputPriority, prios...).
		WithInitialOption(normal)

	var release slack.BlockElement
	if len(releases) > 0 {
		var opts []*slack.OptionBlockObject
		for _, r := range releases[:min(len(releases), maxReleaseOptions)] {
			opts = append(opts, option(r.Key, upgradebot.Clip(r.Key+" · GA "+r.GA.Human(), 75)))
		}
		release = slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Which release?"), InputRelease, opts...)
	} else {
		release = slack.NewPlainTextInputBlockElement(plain("Release key, e.g. medcore-2027.1"), InputRelease).WithMaxLength(40)
	}

	blocks := []slack.Block{
		slack.NewInputBlock(BlockTitle, plain("Title"), plain("No patient identifiers: write the ticket or work-queue number instead."), title),
		slack.NewInputBlock(BlockAssignee, plain("Assignee"), plain("They are told by DM."), assignee).WithOptional(true),
		slack.NewInputBlock(BlockDue, plain("Due"), nil, due).WithOptional(true),
		slack.NewInputBlock(BlockKind, plain("Kind"), nil, kind),
		slack.NewInputBlock(BlockPriority, plain("Priority"), nil, prio),
		slack.NewInputBlock(BlockRelease, plain("Release"), nil, release).WithOptional(true),
	}
	if len(sites) > 0 {
		var opts []*slack.OptionBlockObject
		for _, st := range sites[:min(len(sites), maxReleaseOptions)] {
			opts = append(opts, option(st.Key, upgradebot.Clip(st.Name, 75)))
		}
		site := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Which site?"), InputSite, opts...)
		blocks = append(blocks, slack.NewInputBlock(BlockSite, plain("Site"), plain("None: the whole system."), site).WithOptional(true))
	}
	return slack.ModalViewRequest{
		Type:       slack.VTModal,
		CallbackID: CallbackAddTask,
		Title:      plain("Add a task"),
		Submit:     plain("Add"),
		Close:      plain("Cancel"),
		Blocks:     slack.Blocks{BlockSet: blocks},
	}
}

// RejectModal asks for the reason to reject decision d, restating the
// question it rejects (all that is known of d may be its id, when it could
// not be read in time); the id travels in private_metadata.
func RejectModal(d *upgradebot.Decision) slack.ModalViewRequest {
	reason := slack.NewPlainTextInputBlockElement(plain("Why not? The requester sees this."), InputReason).
		WithMultiline(true).WithMaxLength(upgradebot.MaxTextLen)
	return decisionModal(d, CallbackReject, "Reject", slack.NewInputBlock(BlockReason, plain("Reason"), nil, reason))
}

// ApproveModal approves decision d with a comment, which may be left
// empty, restating the question; the id travels in private_metadata.
func ApproveModal(d *upgradebot.Decision) slack.ModalViewRequest {
	comment := slack.NewPlainTextInputBlockElement(plain("Anything the requester should know?"), InputComment).
		WithMultiline(true).WithMaxLength(upgradebot.MaxTextLen)
	return decisionModal(d, CallbackApprove, "Approve", slack.NewInputBlock(BlockComment, plain("Comment"),
		plain("Optional. Recorded in the audit trail; the requester and the team channel see it."), comment).WithOptional(true))
}

// decisionModal is the form that answers decision d with verb: the question
// restated, then input; the id travels in private_metadata.
func decisionModal(d *upgradebot.Decision, callback, verb string, input *slack.InputBlock) slack.ModalViewRequest {
	id := strconv.FormatInt(d.ID, 10)
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      callback,
		PrivateMetadata: id,
		Title:           plain(verb + " decision #" + id),
		Submit:          plain(verb),
		Close:           plain("Cancel"),
		Blocks:          slack.Blocks{BlockSet: append(questionBlocks(d), input)},
	}
}

// questionBlocks restate a decision's question in its forms: who asked
// and the question, quoted.
func questionBlocks(d *upgradebot.Decision) []slack.Block {
	if d.Question == "" {
		return nil
	}
	return []slack.Block{mrkdwnSection(fmt.Sprintf("*Decision #%d* asked by %s:\n%s", d.ID, upgradebot.Mention(d.RequestedBy),
		upgradebot.Quote(upgradebot.Clip(d.Question, 2500))))}
}

// TaskModal shows a task as `/upgrade show` does, read only.
func TaskModal(id int64, text string) slack.ModalViewRequest {
	return slack.ModalViewRequest{
		Type:       slack.VTModal,
		CallbackID: CallbackTask,
		Title:      plain(upgradebot.Clip("Task #"+strconv.FormatInt(id, 10), 24)),
		Close:      plain("Close"),
		Blocks:     slack.Blocks{BlockSet: TextBlocks(text, maxHomeBlocks)},
	}
}

// viewValues is a submission's state: values[block id][action id].
type viewValues map[string]map[string]slack.BlockAction

func stateOf(v slack.View) viewValues {
	if v.State == nil {
		return nil
	}
	return v.State.Values
}

// text returns what a text input or a select held, trimmed.
func (v viewValues) text(block, input string) string {
	a := v[block][input]
	switch {
	case a.SelectedOption.Value != "":
		return strings.TrimSpace(a.SelectedOption.Value)
	case a.SelectedUser != "":
		return a.SelectedUser
	case a.SelectedDate != "":
		return a.SelectedDate
	}
	return strings.TrimSpace(a.Value)
}

// ParseAddTask reads and checks an add-task submission against today (the
// team's day). It returns the task to create, or the problems by block id
// for a response_action "errors".
func ParseAddTask(v slack.View, today upgradebot.Date) (*upgradebot.Task, map[string]string) {
	vals := stateOf(v)
	problems := map[string]string{}
	t := &upgradebot.Task{
		Title:    vals.text(BlockTitle, InputTitle),
		Assignee: vals.text(BlockAssignee, InputAssignee),
		Kind:     upgradebot.TaskKind(vals.text(BlockKind, InputKind)),
		Priority: upgradebot.Priority(vals.text(BlockPriority, InputPriority)),
		Release:  strings.ToLower(vals.text(BlockRelease, InputRelease)),
		Site:     strings.ToLower(vals.text(BlockSite, InputSite)),
	}
	if err := upgradebot.ValidateTitle("title", t.Title); err != nil {
		problems[BlockTitle] = fieldMessage(err)
	}
	if t.Assignee != "" && !upgradebot.ValidUserID(t.Assignee) {
		problems[BlockAssignee] = "Pick a person from the list."
	}
	if s := vals.text(BlockDue, InputDue); s != "" {
		due, err := upgradebot.ParseDate(s)
		switch {
		case err != nil:
			problems[BlockDue] = "Pick a day from the calendar."
		case due.Before(today):
			problems[BlockDue] = "That day is already past; pick today or later."
		default:
			t.Due = due
		}
	}
	if t.Kind == "" {
		t.Kind = upgradebot.KindUpgrade
	}
	if t.Priority == "" {
		t.Priority = upgradebot.PriorityNormal
	}
	// Validate checks kind and priority (a forged submission could send
	// anything); the title was checked above with a friendlier message.
	if _, bad := problems[BlockTitle]; !bad {
		if err := t.Validate(); err != nil {
			problems[blockForTaskError(err)] = fieldMessage(err)
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return t, nil
}

// blockForTaskError guesses which field a refusal of a new task is about:
// a refusal for patient data names it.
func blockForTaskError(err error) string {
	var pe *upgradebot.PHIError
	if errors.As(err, &pe) {
		return BlockTitle // the modal's only text: the title
	}
	msg := upgradebot.ErrorMessage(err)
	switch {
	case upgradebot.ErrorCode(err) == upgradebot.EFORBIDDEN:
		return BlockAssignee // a partner's task waits unassigned
	case upgradebot.ErrorCode(err) == upgradebot.ENOTFOUND && strings.Contains(msg, "site"):
		return BlockSite
	case upgradebot.ErrorCode(err) == upgradebot.ENOTFOUND || strings.Contains(msg, "release"):
		return BlockRelease
	case strings.HasPrefix(msg, "kind"):
		return BlockKind
	case strings.HasPrefix(msg, "priority"):
		return BlockPriority
	}
	return BlockTitle
}

// ParseReason reads a reject submission: the decision id and the reason.
func ParseReason(v slack.View) (id int64, reason string, ok bool) {
	id, err := strconv.ParseInt(v.PrivateMetadata, 10, 64)
	if err != nil || id <= 0 {
		return 0, "", false
	}
	return id, stateOf(v).text(BlockReason, InputReason), true
}

// ParseComment reads an approve submission: the decision id and the
// comment, "" when none was given.
func ParseComment(v slack.View) (id int64, comment string, ok bool) {
	id, err := strconv.ParseInt(v.PrivateMetadata, 10, 64)
	if err != nil || id <= 0 {
		return 0, "", false
	}
	return id, stateOf(v).text(BlockComment, InputComment), true
}

// fieldMessage is err as a sentence to show under a field.
func fieldMessage(err error) string {
	return upgradebot.Sentence(upgradebot.UpperFirst(upgradebot.ErrorMessage(err)))
}
