// Command upgradebot runs the EHR upgrade desk: on Slack, as a local console
// (no Slack needed), one command at a time for scripts, and the data and
// database chores around it. It only wires the packages together.
//
//	upgradebot                  serve if SLACK_BOT_TOKEN is set, else console
//	upgradebot serve            run on Slack (Socket Mode or HTTP) with the scheduler and outbox worker
//	upgradebot console          interactive console (demo data on a new database)
//	upgradebot exec TEXT        run one /upgrade command and exit (1 if refused)
//	upgradebot run-job NAME     run one scheduled job once, now
//	upgradebot migrate          apply database migrations and exit
//	upgradebot backup FILE      write a consistent copy of the database
//	upgradebot copy             copy the whole desk into a new, empty database (-from FILE -to URL)
//	upgradebot import FILE.csv  import a ticket system's CSV export as tasks
//	upgradebot export           write every task as CSV or JSON
//	upgradebot ics              write the iCalendar feed
//	upgradebot chart            write the weekly chart as a PNG
//	upgradebot help [COMMAND]   the commands and environment variables, or one command's flags
//
// Settings come from flags or UPGRADEBOT_* environment variables; run
// `upgradebot help` for the list, `upgradebot COMMAND -h` for a command's
// flags. TestUsageNamesEverySubcommand keeps this
// list and the usage text in step with Run.
package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
	"github.com/upgradebot/upgradebot/cronspec"
	"github.com/upgradebot/upgradebot/scheduler"
	"github.com/upgradebot/upgradebot/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	m := NewMain()
	err := m.Run(ctx, os.Args[1:])
	stop()
	if cerr := m.Close(); cerr != nil && err == nil {
		err = cerr
	}
	os.Exit(exitCode(m.Stderr, err))
}

// Exit codes.
const (
	exitOK      = 0
	exitRefused = 1 // the command was refused or malformed, or failed
	exitUsage   = 2 // bad flags or settings
)

// usageError is a problem with flags or settings: one line, exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// errRefused reports that an exec'd command was refused; the reply has
// already been printed.
var errRefused = errors.New("command refused")

func exitCode(stderr io.Writer, err error) int {
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errRefused):
		return exitRefused
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, "upgradebot:", ue.msg)
		return exitUsage
	}
	fmt.Fprintln(stderr, "upgradebot:", err)
	return exitRefused
}

// Config is what the environment and flags set.
type Config struct {
	DB      string   // UPGRADEBOT_DB
	Admins  []string // UPGRADEBOT_ADMINS
	TZ      string   // UPGRADEBOT_TZ
	Channel string   // UPGRADEBOT_CHANNEL
	Clock   string   // -clock: "" for the wall clock, or a fixed local time
	As      string   // -as: console user
	Demo    bool     // -demo: seed a new database with demo data
}

// Main is the program: its settings, its open store and the bot.
type Main struct {
	Config Config
	Getenv func(string) string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Clock is the wall clock unless -clock pins it.
	Clock upgradebot.Clock

	DB       *store.DB
	Bot      *bot.Bot
	Logger   *slog.Logger
	Location *time.Location // the team's zone, once the store is open
	Data     dataConfig     // the flags of import, export and ics
	Copy     copyConfig     // the flags of copy
	// Live is set, once the store is open, when serve has run on the
	// database: its messages are Slack's to deliver, the console runs no
	// scheduled jobs, seeds no demo and makes nobody an admin.
	Live bool
}

// NewMain returns a Main reading the real environment and terminal.
func NewMain() *Main {
	return &Main{Getenv: os.Getenv, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Clock: upgradebot.SystemClock{}}
}

const usage = `upgradebot keeps the EHR upgrade desk: tasks, vendor releases, clean-ups and decisions.

Usage:
  upgradebot [flags]                      serve if SLACK_BOT_TOKEN is set, else the console
  upgradebot serve [flags]                run on Slack: Socket Mode with SLACK_APP_TOKEN, else HTTP
  upgradebot console [flags]              the local console (seeds demo data into a new database)
  upgradebot exec [flags] "/upgrade ..."  run one command and exit: 0 done, 1 refused or wrong
  upgradebot run-job [flags] NAME         run one scheduled job once, now (e.g. digest)
  upgradebot migrate [flags]              apply database migrations and exit
  upgradebot backup [flags] FILE          write a consistent copy of the live database to FILE
  upgradebot copy -from FILE -to URL      copy the whole desk into a new, empty database, e.g. SQLite to
                                          PostgreSQL: every table, in one transaction, counts checked
  upgradebot import [flags] FILE.csv      import a ticket system's CSV export as tasks, all or nothing:
                  -map field=Column,...  -mapping FILE  -users FILE (name=U… lines)  -dry-run
                  -update (apply closes and due dates to refs already there)
                  -delimiter ,|;|tab (default: read from the file)  -date-format mdy|dmy (for 12/5/2026)
  upgradebot export [-format csv|json] [-o FILE]  write every task (and, in JSON, the releases)
  upgradebot ics [-o FILE]                write the iCalendar feed: releases, clean-ups, due dates
  upgradebot chart [-o FILE]              write a PNG of open work and releases behind, last 12 weeks
                                          (default chart.png)
  upgradebot COMMAND -h                   a command's arguments and flags, each explained (or: help COMMAND)

Flags come before a command's arguments; a switch is -demo, or -demo=false ("-demo false" is refused).

Settings (flag, or environment variable):
  -db FILE|URL    UPGRADEBOT_DB        a SQLite file (default ./upgradebot.db), or a postgres:// URL
                                       (pool_max_conns=N: this process's connections, default 10)
  -admins IDS     UPGRADEBOT_ADMINS    comma-separated Slack user ids made admins at start
  -tz ZONE        UPGRADEBOT_TZ        the team's IANA time zone, e.g. America/Chicago (default UTC)
  -channel ID     UPGRADEBOT_CHANNEL   the team channel id (C…) for notices and digests
Slack (serve):
  SLACK_BOT_TOKEN        the bot token (xoxb-...), required
  SLACK_SIGNING_SECRET   the signing secret, required for HTTP
  SLACK_APP_TOKEN        an app-level token (xapp-...) with connections:write: use Socket Mode
  UPGRADEBOT_ADDR        HTTP listen address (default :3000): Slack endpoints, /healthz, /metrics
  UPGRADEBOT_CALENDAR_TOKEN  the secret of GET /calendar.ics?token=... (20+ characters; unset: no feed)
  SLACK_API_URL          the Web API base (default https://slack.com/api/; GovSlack, tests)
  UPGRADEBOT_SEND_INTERVAL  least time between two Web API calls of the outbox (default 250ms)
Console and exec:
  -as USER        act as this Slack user id or known @name (default U0CONSOLE, @you: made an admin only
                  of a new database that has none, never of one serve has run on)
  -demo           seed demo data into a new, empty database serve has never used (default true for console)
  -clock TIME     pin the clock, e.g. 2026-11-30T09:00 in the team's zone (for demos and training),
                  or "fast": console time runs an hour every 100 ms, scheduled posts included
  UPGRADEBOT_DIGEST_SCHEDULE  cron spec of the channel digest (default "0 8 * * 1-5": weekdays 08:00)
`

// Run runs the subcommand named by args[0].
func (m *Main) Run(ctx context.Context, args []string) error {
	// The main job: on Slack when there are credentials, else the console.
	name, implicit := "console", true
	if m.Getenv("SLACK_BOT_TOKEN") != "" {
		name = "serve"
	}
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args, implicit = args[0], args[1:], false
	}
	if name == "help" {
		return m.help(args)
	}
	cmd, ok := lookup(name)
	if !ok {
		return usageError{fmt.Sprintf("unknown command %q; run `upgradebot help`", name)}
	}
	rest, err := m.parseFlags(name, args)
	if errors.Is(err, errHelp) {
		if implicit {
			fmt.Fprint(m.Stdout, usage)
		} else {
			printUsage(m.Stdout, cmd, m.flagSet(cmd, new(string)))
		}
		return nil
	} else if err != nil {
		return err
	}
	// Nothing is opened, let alone created, before the arguments are right.
	if len(rest) == 0 && cmd.nargs != 0 {
		return usageError{cmd.wrongArgs}
	}
	if name == "copy" { // two desks of its own, neither -db
		return m.copyDesk(ctx)
	}
	var sc slackConfig
	if cmd.name == "serve" {
		if sc, err = m.slackConfig(); err != nil {
			return err
		}
	}
	if err := m.open(ctx, name); err != nil {
		return err
	}
	switch name {
	case "migrate":
		fmt.Fprintf(m.Stdout, "%s: migrations applied\n", shownDB(m.Config.DB))
		return nil
	case "backup":
		if err := m.DB.Backup(ctx, rest[0]); err != nil {
			return m.refuse("backup", err)
		}
		fmt.Fprintf(m.Stdout, "backed up %s to %s\n", m.Config.DB, rest[0])
		return nil
	case "serve":
		return m.serve(ctx, sc)
	case "run-job":
		return m.runJob(ctx, rest[0])
	case "import":
		return m.importTasks(ctx, rest)
	case "ics":
		return m.writeICS(ctx)
	case "chart":
		return m.writeChart(ctx)
	case "export":
		return m.exportData(ctx)
	case "exec":
		return m.exec(ctx, strings.Join(rest, " "))
	}
	return m.console(ctx)
}

// help prints the usage, or with a command's name that command's.
func (m *Main) help(args []string) error {
	switch {
	case len(args) == 0 || isHelp(args[:1]) || args[0] == "help":
		fmt.Fprint(m.Stdout, usage)
		return nil
	case len(args) > 1:
		return usageError{fmt.Sprintf("help takes one command's name at most; got %s", quoteArgs(args))}
	}
	cmd, ok := lookup(args[0])
	if !ok {
		return usageError{fmt.Sprintf("unknown command %q; run `upgradebot help`", args[0])}
	}
	printUsage(m.Stdout, cmd, m.flagSet(cmd, new(string)))
	return nil
}

// parseFlags parses cmd's flags and the settings from the environment, and
// returns the arguments after the flags. Arguments cmd does not take are
// refused (checkArgs); an empty list is left to the caller. -h, -help or
// --help anywhere before "--" returns errHelp.
func (m *Main) parseFlags(name string, args []string) ([]string, error) {
	cmd, ok := lookup(name)
	if !ok {
		return nil, usageError{fmt.Sprintf("unknown command %q; run `upgradebot help`", name)}
	}
	var admins string
	fs := m.flagSet(cmd, &admins)
	if isHelp(args) {
		return nil, errHelp
	}
	if err := fs.Parse(args); err != nil {
		return nil, usageError{fmt.Sprintf("%v; run `upgradebot %s -h`", err, name)}
	}
	if rest := fs.Args(); len(rest) > 0 {
		if err := checkArgs(cmd, fs, args, rest); err != nil {
			return nil, err
		}
	}
	for _, a := range strings.Split(admins, ",") {
		if a = strings.TrimSpace(a); a == "" {
			continue
		} else if !upgradebot.ValidUserID(a) {
			return nil, usageError{fmt.Sprintf("UPGRADEBOT_ADMINS: %q is not a Slack user id (U… or W…)", a)}
		}
		m.Config.Admins = append(m.Config.Admins, a)
	}
	if m.Config.TZ != "" {
		if _, err := time.LoadLocation(m.Config.TZ); err != nil || m.Config.TZ == "Local" {
			return nil, usageError{fmt.Sprintf("UPGRADEBOT_TZ: %q is not an IANA time zone like America/Chicago", m.Config.TZ)}
		}
	}
	if c := m.Config.Channel; c != "" && !upgradebot.ValidChannelID(c) {
		return nil, usageError{fmt.Sprintf("UPGRADEBOT_CHANNEL: %q is not a Slack channel id (C…)", c)}
	}
	if m.Config.DB == "" {
		return nil, usageError{"UPGRADEBOT_DB: the database file name is empty"}
	}
	return fs.Args(), nil
}

// open opens the store, applies the environment's settings and pins the
// clock if asked.
func (m *Main) open(ctx context.Context, cmd string) error {
	level := slog.LevelInfo
	if cmd == "console" || cmd == "exec" {
		level = slog.LevelWarn
	}
	logger := slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: level}))
	m.Logger = logger

	// A pinned clock is read in the team's zone, known once the store is open.
	var pinned *upgradebot.FakeClock
	if m.Config.Clock != "" {
		pinned = upgradebot.NewFakeClock(upgradebot.SystemClock{}.Now())
		m.Clock = pinned
	}
	db, err := store.Open(ctx, m.Config.DB, m.Clock)
	if err != nil {
		return fmt.Errorf("open %s: %w", shownDB(m.Config.DB), err)
	}
	m.DB = db
	if cmd == "migrate" || cmd == "backup" {
		return nil
	}
	s, err := db.Settings(ctx)
	if err != nil {
		return err
	}
	zone := cmp.Or(m.Config.TZ, s.TimeZone)
	if m.Config.Demo {
		zone = cmp.Or(zone, demoZone)
	}
	m.Location, _ = time.LoadLocation(zone) // checked by parseFlags or when it was stored
	if pinned != nil && m.Config.Clock != "fast" {
		t, err := parseClock(m.Config.Clock, m.Location)
		if err != nil {
			return err
		}
		pinned.Set(t)
	}
	since, err := db.ServedSince(ctx)
	if err != nil {
		return err
	}
	m.Live = !since.IsZero()
	admins := m.Config.Admins
	if (cmd == "console" || cmd == "exec") && !m.Live {
		// The person at the console of a new desk is its first admin. The
		// console never makes them one again (an admin may have removed
		// them), nor on a desk that serve has used: they are not in Slack.
		if len(s.Admins) == 0 && len(admins) == 0 {
			admins = append(admins, bot.ConsoleUser.ID)
		}
		if err := db.RememberPeople(ctx, []upgradebot.Person{bot.ConsoleUser}); err != nil {
			return err
		}
	}
	if err := db.Bootstrap(ctx, m.Config.Channel, zone, admins); err != nil {
		return fmt.Errorf("apply settings: %w", err)
	}
	m.Bot = &bot.Bot{Desk: db, Clock: m.Clock, Logger: logger, Fixed: m.fixedSettings()}
	if m.Config.Demo && !m.Live { // demo people and their DMs have no place on Slack
		seeded, err := bot.SeedDemo(ctx, db, upgradebot.Today(m.Clock.Now(), m.Location))
		if err != nil {
			return err
		}
		if seeded {
			fmt.Fprintf(m.Stdout, "Seeded %s with demo data (made-up people and work, no patient data).\n", shownDB(m.Config.DB))
		}
	}
	return nil
}

// fixedSettings are the settings the environment or flags set at start,
// for `/upgrade config` to say where a value comes from and that a change
// to it is overridden at the next start.
func (m *Main) fixedSettings() map[string]bot.Fixed {
	f := map[string]bot.Fixed{}
	if m.Config.Channel != "" {
		f[upgradebot.SettingChannel] = bot.Fixed{Var: "UPGRADEBOT_CHANNEL", Value: m.Config.Channel}
	}
	if m.Config.TZ != "" {
		f[upgradebot.SettingTimeZone] = bot.Fixed{Var: "UPGRADEBOT_TZ", Value: m.Config.TZ}
	}
	if v := m.Getenv(digestScheduleEnv); v != "" {
		f[upgradebot.SettingSchedulePrefix+scheduler.JobDigest] = bot.Fixed{Var: digestScheduleEnv, Value: v}
	}
	return f
}

// demoZone is the demo's time zone when none is configured.
const demoZone = "America/Chicago"

// shownDB is the database setting as output and logs show it: a
// PostgreSQL URL without its password.
func shownDB(dsn string) string {
	if !store.IsPostgres(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "(a PostgreSQL URL that does not parse)"
	}
	return u.Redacted()
}

// parseClock reads -clock: a local time in the team's zone, or RFC 3339.
func parseClock(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			if layout == "2006-01-02" {
				t = t.Add(9 * time.Hour)
			}
			return t, nil
		}
	}
	return time.Time{}, usageError{fmt.Sprintf("-clock: %q is not a time like 2026-11-30T09:00", s)}
}

func (m *Main) console(ctx context.Context) error {
	if m.Live && m.Config.Clock == "fast" {
		return usageError{"-clock fast: serve has run on " + m.Config.DB + ", so the simulated days' scheduled posts would go to Slack; use it on a console-only database"}
	}
	user, err := m.user(ctx)
	if err != nil {
		return err
	}
	c := &bot.Console{Bot: m.Bot, User: user, In: m.Stdin, Out: m.Stdout, Prompt: isTerminal(m.Stdin)}
	if c.Prompt {
		fmt.Fprintln(m.Stdout, "upgradebot console. Type /upgrade help, :help for console commands, :quit to leave.")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel() // stop the scheduled posts before waiting for them
	switch {
	case m.Live:
		// serve runs the schedule and delivers the messages.
	case m.Config.Clock == "fast":
		// Console time runs an hour every 100 ms: a week in about 17 s.
		sched, err := m.scheduler(ctx)
		if err != nil {
			return err
		}
		clock := m.Clock.(*upgradebot.FakeClock)
		wg.Go(func() { fastForward(ctx, c, sched, clock, m.Location) })
	case m.Config.Clock == "":
		// Scheduled posts as they happen, on the wall clock.
		sched, err := m.scheduler(ctx)
		if err != nil {
			return err
		}
		wg.Go(func() { sched.Run(ctx) })
		wg.Go(func() { every(ctx, 2*time.Second, func() { c.Deliver(ctx) }) })
	}
	return c.Run(ctx)
}

// fastForward moves the console's clock an hour every 100 ms, runs what the
// scheduler had due in that hour and prints what it posted.
func fastForward(ctx context.Context, c *bot.Console, sched *scheduler.Scheduler, clock *upgradebot.FakeClock, loc *time.Location) {
	every(ctx, 100*time.Millisecond, func() {
		from := clock.Now()
		clock.Advance(time.Hour)
		to := clock.Now()
		if upgradebot.DateOf(from.In(loc)) != upgradebot.DateOf(to.In(loc)) {
			c.Say(fmt.Sprintf("--- %s (console clock) ---", to.In(loc).Format("Mon 2 Jan 2006 15:04 MST")))
		}
		if err := sched.RunDue(ctx, from, to); err == nil {
			c.Deliver(ctx)
		}
	})
}

// every calls f every d until ctx is done.
func every(ctx context.Context, d time.Duration, f func()) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			f()
		}
	}
}

// scheduler returns the team's scheduled jobs on this process's store.
// Each job's schedule is, first, its environment variable when set (only
// the digest has one: UPGRADEBOT_DIGEST_SCHEDULE), then the spec stored
// with `/upgrade config schedule`, then the default; schedules are read
// here, at start, by the parser the command and the store check a spec with
// (cronspec), so a spec they accepted is used. Only a spec stored before
// they checked it can fail here: it is logged and the default used, so it
// never stops the bot. The jobs' policy (hours, lead times, thresholds,
// all-clear, channel) is left to the jobs, which read the stored values at
// each run.
func (m *Main) scheduler(ctx context.Context) (*scheduler.Scheduler, error) {
	spec := m.Getenv(digestScheduleEnv)
	if spec != "" {
		if _, err := cronspec.Parse(spec, m.Location); err != nil {
			return nil, usageError{digestScheduleEnv + ": " + upgradebot.ErrorMessage(err)}
		}
	}
	s, err := m.DB.Settings(ctx)
	if err != nil {
		return nil, err
	}
	specs := s.Config().Schedules
	pick := func(job string) string {
		v := specs[job]
		if v == "" {
			return ""
		}
		if _, err := cronspec.Parse(v, m.Location); err != nil {
			m.Logger.Warn("stored schedule unusable (stored before specs were checked); using the default; set it again with /upgrade config schedule",
				"job", job, "err", err)
			return ""
		}
		return v
	}
	cfg := scheduler.Config{
		Location:       m.Location,
		DigestSpec:     cmp.Or(spec, pick(scheduler.JobDigest)),
		ReminderSpec:   pick(scheduler.JobReminders),
		NudgeSpec:      pick(scheduler.JobNudges),
		EscalationSpec: pick(scheduler.JobEscalation),
		CleanupSpec:    pick(scheduler.JobCleanups),
	}
	sched := &scheduler.Scheduler{Desk: m.DB, Clock: m.Clock, Location: m.Location, Logger: m.Logger,
		Jobs: scheduler.Jobs(m.DB, cfg)}
	if err := sched.Validate(); err != nil {
		return nil, err
	}
	return sched, nil
}

// digestScheduleEnv sets the digest's schedule; it wins over a stored one.
const digestScheduleEnv = "UPGRADEBOT_DIGEST_SCHEDULE"

// runJob runs one job once, for now, and reports what it did. Its messages
// go out through the outbox (the serving process delivers them).
func (m *Main) runJob(ctx context.Context, name string) error {
	sched, err := m.scheduler(ctx)
	if err != nil {
		return err
	}
	at := m.Clock.Now().Truncate(time.Second)
	ran, err := sched.RunJob(ctx, name, at)
	if upgradebot.ErrorCode(err) == upgradebot.ENOTFOUND {
		return usageError{upgradebot.ErrorMessage(err)}
	} else if err != nil {
		return err
	}
	if !ran {
		fmt.Fprintf(m.Stdout, "%s: already ran for %s\n", name, at.In(m.Location).Format(time.DateTime))
		return nil
	}
	fmt.Fprintf(m.Stdout, "%s: ran for %s; its messages are in the outbox\n", name, at.In(m.Location).Format(time.DateTime))
	return nil
}

func (m *Main) exec(ctx context.Context, text string) error {
	user, err := m.user(ctx)
	if err != nil {
		return err
	}
	c := &bot.Console{Bot: m.Bot, User: user, Out: m.Stdout}
	reply, err := c.Exec(ctx, user, text)
	if err != nil {
		return err
	}
	if reply.Failed {
		return errRefused
	}
	return nil
}

// user resolves -as: a user id, or the name of someone the bot knows.
func (m *Main) user(ctx context.Context) (string, error) {
	who := strings.TrimPrefix(m.Config.As, "@")
	if upgradebot.ValidUserID(who) {
		return who, nil
	}
	people, err := m.DB.People(ctx)
	if err != nil {
		return "", err
	}
	for id, name := range people {
		if strings.EqualFold(name, who) {
			return id, nil
		}
	}
	return "", usageError{fmt.Sprintf("-as: %q is not a Slack user id (U…) or the name of someone the bot knows", m.Config.As)}
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// Close closes the store.
func (m *Main) Close() error {
	if m.DB == nil {
		return nil
	}
	return m.DB.Close()
}
