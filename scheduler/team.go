package scheduler

import (
	"context"
	"fmt"
	"time"

	"github.com/upgradebot/upgradebot"
)

// RunFunc is a Job's Run.
type RunFunc = func(ctx context.Context, at time.Time) ([]upgradebot.Message, error)

// team is what one run knows of the team, read once at its start, so that
// a change admins make with `/upgrade config` applies from the next run
// and every part of one run sees the same values.
type team struct {
	channel string                  // the team channel; "" when none is set
	config  upgradebot.StoredConfig // zero fields: the defaults
	// cal is the team's working time: its zone, the stored hours (or the
	// defaults), Monday to Friday, and the holidays kept in the desk.
	cal upgradebot.WorkingTime
}

// readTeam reads the settings and the holidays from desk, once. EINVALID
// when the stored hours or holidays make no calendar.
func readTeam(ctx context.Context, desk upgradebot.Desk, loc *time.Location) (team, error) {
	s, err := desk.Settings(ctx)
	if err != nil {
		return team{}, err
	}
	holidays, err := desk.Holidays(ctx)
	if err != nil {
		return team{}, err
	}
	sc := s.Config()
	cal := upgradebot.WorkingTime{Location: loc, Start: sc.WorkStart, End: sc.WorkEnd, Holidays: holidays}
	if err := cal.Validate(); err != nil {
		return team{}, err
	}
	return team{channel: s.Channel, config: sc, cal: cal}, nil
}

// work is a job's work for the run at at, given the team as read at the
// run's start.
type work func(ctx context.Context, desk upgradebot.Desk, t team, at time.Time) ([]upgradebot.Message, error)

// withTeam makes a job's Run from its work: it reads the team once, then
// does the work. Errors name the job.
func withTeam(desk upgradebot.Desk, loc *time.Location, name string, w work) RunFunc {
	return func(ctx context.Context, at time.Time) ([]upgradebot.Message, error) {
		t, err := readTeam(ctx, desk, loc)
		if err != nil {
			return nil, fmt.Errorf("scheduler: %s: %w", name, err)
		}
		msgs, err := w(ctx, desk, t, at)
		if err != nil {
			return nil, fmt.Errorf("scheduler: %s: %w", name, err)
		}
		return msgs, nil
	}
}
