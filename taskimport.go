package upgradebot

// ImportOptions tune TaskService.ImportTasks.
type ImportOptions struct {
	// DryRun checks everything as the import would, reading only (it takes
	// no write lock): the result says what would happen and nothing is
	// written.
	DryRun bool
	// Update applies the ticket system's changes to the tasks an import's
	// refs already belong to, as the people who make them would: a done
	// or cancelled ticket closes its open task the same way (audited as
	// task.done or task.cancel, with a note saying why), and a due date
	// that differs moves the open task's due date (task.due). An empty due
	// date changes nothing, a closed task is not reopened, and nothing
	// else (title, assignee, priority...) is changed: once a task exists,
	// the team owns those. Without Update such tasks are skipped.
	Update bool
	// Progress, if set, is called as tasks are stored with how many of
	// total are done (not for every task: often enough for a progress line).
	Progress func(done, total int)
}

// ImportResult says what an import did, or would do on a dry run. Each
// task of the import is in one of Created, Closed, Skipped or (through the
// tasks of its ref) Updated.
type ImportResult struct {
	// Created are the new tasks, with their ids (on a dry run, the ids they
	// would have had).
	Created []*Task
	// Updated are the existing tasks Update changed, each as it was and as
	// it is now.
	Updated []ImportUpdate
	// Skipped are the tasks of the import whose ref already belongs to a
	// task: that task is left as it is (without Update, or when there is
	// nothing to apply), so importing a file twice changes nothing the
	// second time.
	Skipped []*Task
	// Closed are the done or cancelled tasks of the import whose ref no
	// task has: there is no work to track, so none is created.
	Closed []*Task
}

// ImportUpdate is an existing task an import changed.
type ImportUpdate struct {
	Before, After *Task
}
