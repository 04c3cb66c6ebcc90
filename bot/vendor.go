package bot

import (
	"fmt"
	"strings"

	"github.com/upgradebot/upgradebot"
)

// Correcting vendors and releases: vendor rename and remove, release edit
// and remove (also `release <key> edit|remove`).

// parseVendorRename reads `<name> <new name>`, each quoted if it has
// spaces.
func parseVendorRename(p *parser, c *Command) error {
	if len(p.toks) != 2 {
		return p.usageErr("give the vendor's name and its new name; quote either if it has spaces: vendor rename Verisnate Verisante.")
	}
	c.Title, c.Name2, p.toks = p.toks[0].plain(), p.toks[1].plain(), nil
	if strings.TrimSpace(c.Title) == "" {
		return p.usageErr("which vendor? `/upgrade vendor` lists them.")
	}
	if err := upgradebot.ValidateTitle("new name", c.Name2); err != nil {
		return p.usageErr(upgradebot.ErrorMessage(err) + ".")
	}
	return nil
}

// parseVendorRemove reads `<name>`.
func parseVendorRemove(p *parser, c *Command) error {
	if len(p.toks) == 0 {
		return p.usageErr("which vendor? `/upgrade vendor` lists them.")
	}
	if len(p.toks) > 1 {
		return p.usageErr("give one vendor name; quote it if it has spaces.")
	}
	if c.Title, p.toks = p.toks[0].plain(), nil; c.Title == "" {
		return p.usageErr("which vendor? `/upgrade vendor` lists them.")
	}
	return nil
}

// releaseKey reads the release key that comes first.
func (p *parser) releaseKey(c *Command) error {
	if len(p.toks) == 0 {
		return p.usageErr("which release? Give its key; `/upgrade releases all` lists them.")
	}
	c.Key, p.toks = strings.ToLower(p.toks[0].plain()), p.toks[1:]
	return nil
}

// parseReleaseEdit reads `<key> [ga:<date>] [support:<date>|none]`, at
// least one of them, or `<key> edit …` after release.
func parseReleaseEdit(p *parser, c *Command) error {
	p.skipVerb()
	if err := p.releaseKey(c); err != nil {
		return err
	}
	var err error
	if c.GA, err = p.date("ga"); err != nil {
		return err
	}
	if v, ok := p.opts["support"]; ok && strings.EqualFold(v, "none") {
		c.NoSupport = true
	} else if c.Support, err = p.date("support"); err != nil {
		return err
	}
	if c.GA.IsZero() && c.Support.IsZero() && !c.NoSupport {
		return p.usageErr("what should change? Give ga:<date>, support:<date> or support:none.")
	}
	return p.none()
}

// parseReleaseRemove reads `<key>`, or `<key> remove` after release.
func parseReleaseRemove(p *parser, c *Command) error {
	p.skipVerb()
	if err := p.releaseKey(c); err != nil {
		return err
	}
	return p.none()
}

func (c *call) vendorRename(cmd *Command) (string, error) {
	v, n, err := c.b.Desk.RenameVendor(c.ctx, c.user, cmd.Title, cmd.Name2)
	if err != nil {
		return "", err
	}
	text := fmt.Sprintf("Renamed vendor %s to %s.", upgradebot.Escape(cmd.Title), upgradebot.Escape(v.Name))
	switch {
	case n == 1:
		text += " Its release follows (its key stays)."
	case n > 1:
		text += fmt.Sprintf(" Its %d releases follow (their keys stay).", n)
	}
	return text, nil
}

func (c *call) vendorRemove(cmd *Command) (string, error) {
	v, err := c.b.Desk.RemoveVendor(c.ctx, c.user, cmd.Title)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Removed vendor %s; the forecast no longer counts it.", upgradebot.Escape(v.Name)), nil
}

func (c *call) releaseEdit(cmd *Command) (string, error) {
	r, err := c.b.Desk.EditRelease(c.ctx, c.user, cmd.Key, upgradebot.ReleaseChange{GA: cmd.GA, Support: cmd.Support, ClearSupport: cmd.NoSupport})
	if err != nil {
		return "", err
	}
	text := "Changed " + c.releaseLine(r) + "."
	if cmd.NoSupport {
		text += " Its end of support is not known."
	}
	return text, nil
}

func (c *call) releaseRemove(cmd *Command) (string, error) {
	r, cancelled, err := c.b.Desk.RemoveRelease(c.ctx, c.user, cmd.Key)
	if err != nil {
		return "", err
	}
	text := fmt.Sprintf("Removed release `%s` (%s %s)", r.Key, upgradebot.Escape(r.Vendor), upgradebot.Escape(r.Name))
	if len(cancelled) > 0 {
		refs := make([]string, 0, 3)
		for _, t := range cancelled[:min(len(cancelled), 3)] {
			refs = append(refs, fmt.Sprintf("#%d", t.ID))
		}
		list := strings.Join(refs, ", ")
		if more := len(cancelled) - len(refs); more > 0 {
			list += fmt.Sprintf(" and %d more", more)
		}
		if len(cancelled) == 1 {
			text += fmt.Sprintf(" and cancelled its checklist task %s, which nobody had touched", list)
		} else {
			text += fmt.Sprintf(" and cancelled its %d checklist tasks nobody had touched (%s)", len(cancelled), list)
		}
	}
	return text + fmt.Sprintf(". Its history stays in the audit trail (`/upgrade audit`); the key %s is free again.", r.Key), nil
}
