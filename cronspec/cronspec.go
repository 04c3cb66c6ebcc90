// Package cronspec checks the 5-field cron specs the team's schedules are
// written in, the way the scheduler reads them, so that a bad one is refused
// when it is set (by a command, or by the store) and not found at the next
// start. It is shared by bot/ and store/, which may not import each other.
package cronspec

import (
	"github.com/robfig/cron/v3"

	"github.com/upgradebot/upgradebot"
)

// Check returns EINVALID, with the reason, unless spec is a standard
// 5-field cron spec (minute hour day-of-month month weekday).
func Check(spec string) (err error) {
	shown := spec
	if r := []rune(shown); len(r) > 40 {
		shown = string(r[:40]) + "…"
	}
	defer func() {
		// The parser is not ours; a spec must never crash the bot.
		if r := recover(); r != nil {
			err = upgradebot.Errorf(upgradebot.EINVALID, "%q is not a cron spec: %v", shown, r)
		}
	}()
	if _, err := cron.ParseStandard(spec); err != nil {
		return upgradebot.Errorf(upgradebot.EINVALID, "%q is not a cron spec like \"0 8 * * 1-5\" (minute hour day-of-month month weekday): %v",
			shown, err)
	}
	return nil
}
