package bot

import (
	"fmt"
	"strings"

	"github.com/upgradebot/upgradebot"
)

// forecastComing is how many coming go-lives the forecast shows per vendor.
const forecastComing = 4

// teamPhase reads cmd.Phase as one of the team's phases (as of this
// call's settings; the store checks again in its transaction): EINVALID
// listing them, with the command's usage.
func (c *call) teamPhase(cmd *Command) error {
	plan := c.settings.Config().Phases
	ph, err := plan.Parse(string(cmd.Phase))
	if err != nil {
		return upgradebot.Errorf(upgradebot.EINVALID, "%s.\nUsage: `/upgrade %s`", upgradebot.ErrorMessage(err), specNamed(cmd.Name).usage)
	}
	cmd.Phase = ph
	return nil
}

func (c *call) releasePhase(cmd *Command) (string, error) {
	if err := c.teamPhase(cmd); err != nil {
		return "", err
	}
	if cmd.Scope == string(upgradebot.PhaseDone) {
		// Closing a phase is a gate: whoever may not decide asks.
		if ok, err := c.mayDecide(); err != nil {
			return "", err
		} else if !ok {
			return c.requestGate(cmd)
		}
	}
	p, err := c.b.Desk.RecordPhase(c.ctx, c.user, cmd.Key, cmd.Phase, upgradebot.PhaseEvent(cmd.Scope), cmd.Due)
	if err != nil {
		return "", err
	}
	var text string
	if p.End.IsZero() {
		text = fmt.Sprintf("Started the %s phase of `%s` on %s (planned to end %s).", p.Phase, p.Release, p.Start.Human(), p.PlannedEnd.Human())
		if g := p.Override; g != nil {
			text += fmt.Sprintf(" You started it while the gate closing %s (D%d) still waits: recorded in the audit trail as an override.", g.Phase, g.ID)
		}
		text += c.freezeOverNote(p.PlannedStart, p.PlannedEnd, c.releaseSite(p.Release))
	} else {
		text = fmt.Sprintf("Done: the %s phase of `%s` on %s, after %d days.", p.Phase, p.Release, p.End.Human(), p.Start.DaysUntil(p.End))
		if p.Phase == c.settings.Config().Phases.Last() {
			text += " The release is live."
		}
	}
	phases, err := c.b.Desk.FindPhases(c.ctx, p.Release)
	if err != nil {
		return "", err
	}
	var parts []string
	for _, q := range phases {
		s := string(q.Phase) + " " + q.Start.String() + "→"
		if !q.End.IsZero() {
			s += q.End.String()
		}
		parts = append(parts, s)
	}
	return text + "\nPhases: " + strings.Join(parts, " · "), nil
}

func (c *call) vendor(cmd *Command) (string, error) {
	if cmd.Scope == "set" {
		v := &upgradebot.Vendor{Name: cmd.Title, CadenceDays: cmd.Cadence, SupportDays: cmd.SupportDays, ClearSupport: cmd.NoSupport}
		if err := c.b.Desk.SetVendor(c.ctx, c.user, v); err != nil {
			return "", err
		}
		return "Set " + vendorLine(v) + ". `/upgrade forecast` shows what it means.", nil
	}
	vs, err := c.b.Desk.FindVendors(c.ctx)
	if err != nil {
		return "", err
	}
	return bullets("Vendors", "*Vendors*: none. Set one's cadence with `/upgrade vendor <name> cadence:13w`.", vs, vendorLine), nil
}

func vendorLine(v *upgradebot.Vendor) string {
	s := fmt.Sprintf("%s · a release every %s", upgradebot.Escape(v.Name), upgradebot.Span(v.CadenceDays))
	if v.SupportDays > 0 {
		s += " · each supported " + upgradebot.Span(v.SupportDays) + " after GA"
	}
	return s
}

func (c *call) forecast(cmd *Command) (string, error) {
	vendors, err := c.b.Desk.FindVendors(c.ctx)
	if err != nil {
		return "", err
	}
	releases, err := c.b.Desk.FindReleases(c.ctx, upgradebot.ReleaseFilter{})
	if err != nil {
		return "", err
	}
	phases, err := c.b.Desk.FindPhases(c.ctx, "")
	if err != nil {
		return "", err
	}
	cal, err := c.calendar()
	if err != nil {
		return "", err
	}
	f := upgradebot.MakeForecast(upgradebot.ForecastInput{Today: c.today, Vendors: vendors, Releases: releases, Phases: phases,
		Plan: c.settings.Config().Phases, Calendar: cal, Freezes: c.freezesFrom(c.today)})
	return f.Text(forecastComing), nil
}
