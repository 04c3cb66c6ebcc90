package bot

import (
	"fmt"

	"github.com/upgradebot/upgradebot"
)

func (c *call) freeze(cmd *Command) (string, error) {
	f := &upgradebot.Freeze{From: cmd.From, To: cmd.To, Reason: cmd.Text, Site: cmd.Site}
	if err := c.b.Desk.CreateFreeze(c.ctx, c.user, f); err != nil {
		return "", err
	}
	if f.Site != "" {
		return fmt.Sprintf("Recorded freeze %d: %s at %s, %s to %s. Work of %s and of the whole system due in it, and phases planned in it, will be flagged.",
			f.ID, upgradebot.UpperFirst(f.Name()), upgradebot.Escape(c.settings.SiteName(f.Site)), f.From.Human(), f.To.Human(), f.Site), nil
	}
	return fmt.Sprintf("Recorded freeze %d: %s, %s to %s. Tasks due and phases planned in it will be flagged.",
		f.ID, upgradebot.UpperFirst(f.Name()), f.From.Human(), f.To.Human()), nil
}

func (c *call) freezeRemove(cmd *Command) (string, error) {
	f, err := c.b.Desk.DeleteFreeze(c.ctx, c.user, cmd.ID)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Removed freeze %d: %s %s.", f.ID, f.Name(), f.Range()), nil
}

func (c *call) freezes(cmd *Command) (string, error) {
	fs, err := c.b.Desk.FindFreezes(c.ctx, c.today)
	if err != nil {
		return "", err
	}
	return bullets("Freezes, current and coming",
		"*Freezes*: none now or coming. An admin records one with `/upgrade freeze <from>..<to> <reason>`.", fs,
		func(f *upgradebot.Freeze) string {
			when := " (*now*)"
			if n := c.today.DaysUntil(f.From); n > 0 {
				when = fmt.Sprintf(" (in %d days)", n)
			}
			where := ""
			if f.Site != "" {
				where = " · " + upgradebot.Escape(c.settings.SiteName(f.Site)) + " only"
			}
			return fmt.Sprintf("%d. %s · %s to %s%s%s", f.ID, f.Name(), f.From.Human(), f.To.Human(), when, where)
		}), nil
}

// freezeNote flags a due day inside a freeze that holds work of site: "
// Note: it falls inside the go-live freeze 2026-12-14..2026-12-20." It is
// "" for no day or no freeze.
func (c *call) freezeNote(due upgradebot.Date, site string) string {
	if due.IsZero() {
		return ""
	}
	if f := upgradebot.FreezeOnSite(c.freezesFrom(due), due, site); f != nil {
		return fmt.Sprintf(" Note: it falls inside the %s %s.", c.freezeName(f), f.Range())
	}
	return ""
}

// freezeOverNote flags a planned window that overlaps a freeze holding
// work of site.
func (c *call) freezeOverNote(from, to upgradebot.Date, site string) string {
	if from.IsZero() || to.IsZero() {
		return ""
	}
	if f := upgradebot.FreezeOverSite(c.freezesFrom(from), from, to, site); f != nil {
		return fmt.Sprintf(" Note: that plan falls inside the %s %s.", c.freezeName(f), f.Range())
	}
	return ""
}

// freezesFrom reads the freezes ending on or after day. The flag is advice
// on a change already made, so a failure to read them is logged and the
// reply goes without it.
func (c *call) freezesFrom(day upgradebot.Date) []*upgradebot.Freeze {
	fs, err := c.b.Desk.FindFreezes(c.ctx, day)
	if err != nil {
		c.b.logger().Warn("find freezes", "err", err)
		return nil
	}
	return fs
}

// freezeName is "go-live freeze", or for one site's "go-live freeze at
// North Campus".
func (c *call) freezeName(f *upgradebot.Freeze) string {
	if f.Site == "" {
		return f.Name()
	}
	return f.Name() + " at " + upgradebot.Escape(c.settings.SiteName(f.Site))
}

// releaseSite is the site of the release with key, "" when it has none or
// cannot be read (the flag it serves is advice).
func (c *call) releaseSite(key string) string {
	rs, err := c.b.Desk.FindReleases(c.ctx, upgradebot.ReleaseFilter{Key: key})
	if err != nil || len(rs) == 0 {
		return ""
	}
	return rs[0].Site
}
