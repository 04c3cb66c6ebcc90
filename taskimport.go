package upgradebot

// ImportOptions tune TaskService.ImportTasks.
type ImportOptions struct {
	// DryRun checks and applies everything in a transaction that is then
	// rolled back: the result says what would happen and nothing is written.
	DryRun bool
	// Progress, if set, is called as tasks are stored with how many of
	// total are done (not for every task: often enough for a progress line).
	Progress func(done, total int)
}

// ImportResult says what an import did, or would do on a dry run.
type ImportResult struct {
	// Created are the new tasks, with their ids (on a dry run, the ids they
	// would have had).
	Created []*Task
	// Skipped are the tasks of the import whose ref already belongs to a
	// task: that task is left as it is, so importing a file twice changes
	// nothing the second time.
	Skipped []*Task
}
