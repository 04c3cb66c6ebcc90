package bot

import (
	"fmt"

	"github.com/upgradebot/upgradebot"
)

// routing works out who answers decisions today, from this call's
// settings and the away windows: ECONFLICT (with the fix) when no owner is
// set.
func (c *call) routing() (upgradebot.Routing, error) {
	away, err := c.b.Desk.FindAway(c.ctx, c.today)
	if err != nil {
		return upgradebot.Routing{}, fmt.Errorf("find away: %w", err)
	}
	return upgradebot.Route(c.settings.Owner, away, c.today)
}

// mayDecide reports whether the caller may decide today: the decision
// owner, or the delegate while the owner is away. With no owner nobody may.
func (c *call) mayDecide() (bool, error) {
	r, err := c.routing()
	if upgradebot.ErrorCode(err) == upgradebot.EINTERNAL {
		return false, err
	}
	return err == nil && r.MayDecide(c.user), nil
}

// requestGate asks whoever decides to approve closing a phase: what
// `release <key> phase <phase> done` does for anyone else.
func (c *call) requestGate(cmd *Command) (string, error) {
	d, r, err := c.b.Desk.RequestGate(c.ctx, c.user, cmd.Key, cmd.Phase, cmd.Due)
	if err != nil {
		return "", err
	}
	text := "Asked " + upgradebot.Mention(r.To)
	if r.Delegated {
		text += fmt.Sprintf(", the delegate while %s is away until %s,", upgradebot.Mention(r.Owner), r.AwayUntil.Relative(c.today))
	}
	text += fmt.Sprintf(" to approve closing the %s phase of `%s` (decision #%d). It is recorded done when approved.", d.Phase, d.Release, d.ID)
	if !r.Delegated && !r.AwayUntil.IsZero() {
		text += fmt.Sprintf(" Note: they are away until %s and have no delegate, so it will wait for them.", r.AwayUntil.Relative(c.today))
	}
	return text, nil
}
