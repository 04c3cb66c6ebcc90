package upgradebot

import (
	"context"
	"time"
)

// RunStatus says what became of one scheduled run of a job.
type RunStatus string

// Run statuses.
const (
	RunDone    RunStatus = "done"    // the job ran; its messages were queued with the record
	RunSkipped RunStatus = "skipped" // missed while the bot was down, too old to catch up
)

// JobRun is one scheduled run of a job, identified by the job's name and the
// instant it was scheduled for: a run happens at most once, whatever the
// number of processes or restarts.
type JobRun struct {
	Job        string    `json:"job"`
	At         time.Time `json:"at"` // the scheduled instant
	Status     RunStatus `json:"status"`
	RecordedAt time.Time `json:"recorded_at"`
	Note       string    `json:"note,omitempty"`
}

// JobService records scheduled runs.
type JobService interface {
	// RecordRun records the run (job, at) with status and queues msgs, in one
	// transaction. If that run was recorded before (by this process or
	// another on the same database) it does nothing and returns false.
	RecordRun(ctx context.Context, run JobRun, msgs []Message) (bool, error)
	// LastRun returns the latest recorded run of job (by scheduled instant),
	// or ENOTFOUND if it never ran.
	LastRun(ctx context.Context, job string) (JobRun, error)
	// FindRuns returns job's recorded runs scheduled in [from, to), oldest first.
	FindRuns(ctx context.Context, job string, from, to time.Time) ([]JobRun, error)
}
