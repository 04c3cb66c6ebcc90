package upgradebot

import (
	"fmt"
	"strings"
	"time"
)

// UndoWindow is how long after a change its author may still take it back
// with undo.
const UndoWindow = 15 * time.Minute

// UndoableActions are the audit actions on a task that undo takes back (a
// change made of them, and of the notes and next clean-up occurrences that
// came with it), in the order help names them. An undo is itself one: undoing
// it puts the change back.
var UndoableActions = []string{"task.done", "task.assign", "task.unassign", "task.due", "task.edit", "task.cancel", "task.reopen", "task.undo"}

// TaskUndo is what undoing a change to tasks did.
type TaskUndo struct {
	Action string    // the audit action undone: "task.done", "task.undo", …
	At     time.Time // when the change undone was made
	// Tasks are the tasks the change made, each as the undo left it (as it
	// was before the change), and Was each as it was just before the undo.
	Tasks, Was []*Task
	// Removed are the clean-up occurrences the change had scheduled (a done
	// occurrence's next one), cancelled by the undo.
	Removed []*Task
}

// TaskUndoneMessage tells a person whose tasks someone else's undo changed
// (they had them, or have them again) what each is now and what changed.
func TaskUndoneMessage(to, by, action string, was, now []*Task, today Date) Message {
	var b strings.Builder
	fmt.Fprintf(&b, "%s took back their `%s`:", Mention(by), strings.TrimPrefix(action, "task."))
	for i := range now {
		fmt.Fprintf(&b, "\n• %s (%s)", TaskLine(now[i], today), strings.Join(TaskChanges(was[i], now[i]), ", "))
	}
	return Message{Kind: MessageDM, To: to, Text: b.String()}
}
