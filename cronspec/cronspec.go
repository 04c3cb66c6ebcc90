// Package cronspec is the one reader of the cron specs the team's jobs are
// scheduled by: the command that sets a schedule, the store that keeps it
// and the scheduler that runs it all parse a spec here, so a spec that one
// accepts the others accept too, and a bad one is refused, with the reason,
// when it is set rather than found at the next start.
//
// A spec is a standard 5-field cron spec (minute hour day-of-month month
// day-of-week) or a descriptor such as @daily, read by robfig/cron's parser
// and evaluated on the wall clock of a time zone (see Schedule). It is
// shared by bot/, store/ and scheduler/, which may not import each other.
package cronspec

import "time"

// Check returns nil if Parse accepts spec, and Parse's EINVALID error, with
// the reason, if not. Whether a spec is accepted does not depend on the
// zone it is read in, so a spec Check accepts when it is set is accepted
// when the scheduler parses it in the team's zone at the next start.
func Check(spec string) error {
	_, err := Parse(spec, time.UTC)
	return err
}
