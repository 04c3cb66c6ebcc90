package scheduler

import (
	"context"
	"fmt"
	"time"

	"github.com/upgradebot/upgradebot"
)

// RunFunc is a Job's Run.
type RunFunc = func(ctx context.Context, at time.Time) ([]upgradebot.Message, error)

// Calendar returns the team's working time for the jobs, read at each run:
// cfg's zone; cfg's hours and days when set, else the hours stored with
// `/upgrade config hours`, else the defaults; the holidays kept in desk.
// EINVALID for bad hours or days.
func Calendar(ctx context.Context, desk upgradebot.Desk, cfg Config) (upgradebot.WorkingTime, error) {
	holidays, err := desk.Holidays(ctx)
	if err != nil {
		return upgradebot.WorkingTime{}, err
	}
	cal := upgradebot.WorkingTime{Location: cfg.Location, Start: cfg.WorkStart, End: cfg.WorkEnd, Days: cfg.WorkDays, Holidays: holidays}
	if cal.Start == 0 && cal.End == 0 {
		sc, err := stored(ctx, desk)
		if err != nil {
			return upgradebot.WorkingTime{}, err
		}
		cal.Start, cal.End = sc.WorkStart, sc.WorkEnd
	}
	if cal.Location == nil {
		cal.Location = time.UTC
	}
	if err := cal.Validate(); err != nil {
		return upgradebot.WorkingTime{}, err
	}
	return cal, nil
}

// stored reads the configuration admins keep with `/upgrade config`. The
// jobs read it at each run, so a change applies from the next run on.
func stored(ctx context.Context, desk upgradebot.SettingsService) (upgradebot.StoredConfig, error) {
	s, err := desk.Settings(ctx)
	if err != nil {
		return upgradebot.StoredConfig{}, err
	}
	return s.Config(), nil
}

// OnWorkingDays wraps run so that on a day that is not a working day in
// the team's calendar (a weekend, a holiday) it sends nothing: the run is
// still recorded, and the next working day's run reports what there is
// then. For the digest, which reports the state at its run, that is
// "posted on the next working day instead".
func OnWorkingDays(desk upgradebot.Desk, cfg Config, run RunFunc) RunFunc {
	return func(ctx context.Context, at time.Time) ([]upgradebot.Message, error) {
		cal, err := Calendar(ctx, desk, cfg)
		if err != nil {
			return nil, fmt.Errorf("scheduler: working days: %w", err)
		}
		if !cal.IsWorkingDay(cal.Today(at)) {
			return nil, nil
		}
		return run(ctx, at)
	}
}

// channel is the team channel: cfg's, else the desk's setting ("" if none).
func channel(ctx context.Context, desk upgradebot.SettingsService, cfg Config) (string, error) {
	if cfg.Channel != "" {
		return cfg.Channel, nil
	}
	s, err := desk.Settings(ctx)
	if err != nil {
		return "", err
	}
	return s.Channel, nil
}
