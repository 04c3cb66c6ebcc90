package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/upgradebot/upgradebot/bot"
)

// subcommand is one of Run's subcommands: its arguments, its flags and what
// its -h says.
type subcommand struct {
	name  string
	args  string    // the arguments as usage writes them; "" for none
	nargs int       // how many arguments: exactly, or -1 for one or more
	flags flagGroup // the settings flags it takes (data flags: dataFlags)
	about string    // what it does, for -h
	// wrongArgs is the usage error for a wrong number of arguments.
	wrongArgs string
}

// flagGroup selects the settings flags a subcommand takes.
type flagGroup int

const (
	flagDB       flagGroup = 1 << iota // -db
	flagSettings                       // -admins -tz -channel, applied at start
	flagClock                          // -clock
	flagAs                             // -as
	flagDemo                           // -demo
)

// commands are Run's subcommands besides help, in the order usage lists them.
var commands = []subcommand{
	{name: "serve", flags: flagDB | flagSettings,
		about: "Run on Slack until SIGTERM: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on UPGRADEBOT_ADDR, with\n" +
			"the scheduler and the outbox worker. The Slack settings come from the environment (upgradebot help lists\n" +
			"them). From its first start the database is live on Slack: console and exec leave its messages for serve."},
	{name: "console", flags: flagDB | flagSettings | flagClock | flagAs | flagDemo,
		about: "The local console: type /upgrade commands as in Slack (:help for the console's own). On a database serve\n" +
			"has never used it prints every message the bot would send and marks it sent, runs the scheduled jobs, and\n" +
			"makes its user (U0CONSOLE, @you) an admin when the database has none. On a database serve has run on, it\n" +
			"leaves messages for Slack, showing what each command queued, and runs no jobs (serve does)."},
	{name: "exec", args: "TEXT", nargs: -1, flags: flagDB | flagSettings | flagClock | flagAs | flagDemo,
		wrongArgs: `exec needs the command text, e.g. upgradebot exec --as U0123 "/upgrade list"`,
		about: "Run one /upgrade command and exit: 0 done, 1 refused or wrong, 2 bad flags or settings. TEXT is one\n" +
			"quoted argument or several words. On a database serve has never used it prints every message waiting and\n" +
			"marks it sent, as the console does; on one serve has run on, it leaves messages for Slack and prints only\n" +
			"those the command queued, as [queued for Slack: DM @name] …"},
	{name: "run-job", args: "NAME", nargs: 1, flags: flagDB | flagSettings | flagClock,
		wrongArgs: "run-job needs the job's name, e.g. upgradebot run-job digest",
		about: "Run one scheduled job once, now: digest, release-reminders, nudges, escalation or cleanups. Its messages\n" +
			"wait in the outbox for the serving process (or the console) to deliver."},
	{name: "migrate", flags: flagDB,
		about: "Apply the database migrations and exit."},
	{name: "backup", args: "FILE", nargs: 1, flags: flagDB,
		wrongArgs: "backup needs one argument: the file to write",
		about:     "Write a consistent copy of the live database to FILE (VACUUM INTO); an existing FILE is refused."},
	{name: "copy",
		wrongArgs: "copy takes no arguments; name the desks with -from FILE -to URL",
		about: "Copy a whole desk into a new, empty database, e.g. from SQLite to PostgreSQL:\n" +
			"  upgradebot copy -from upgradebot.db -to postgres://user@host:5432/db\n" +
			"Every table (tasks, releases, clean-ups, decisions, the audit trail, the outbox, settings, people, …) is\n" +
			"copied in one transaction on -to, and each table's rows on -to are counted against -from's before it\n" +
			"commits: the whole desk or nothing. A -to with any desk data is refused and nothing is written to it.\n" +
			"-from is opened as every command opens a desk, so it is first migrated to this version's schema. Stop\n" +
			"serve first: what changes on -from once the copy has begun is not copied. Then point UPGRADEBOT_DB at -to."},
	{name: "import", args: "FILE.csv", nargs: 1, flags: flagDB | flagSettings | flagAs,
		wrongArgs: "import needs one argument: the CSV file, e.g. upgradebot import -dry-run tickets.csv",
		about: "Import a ticket system's CSV export (ServiceNow, Jira, or any with -map) as tasks, in one transaction:\n" +
			"every row or none. A ref already there is skipped unless -update. Nobody is messaged."},
	{name: "export", flags: flagDB | flagSettings,
		wrongArgs: "export takes no arguments; write to a file with -o FILE",
		about:     "Write every task as CSV (the import's columns), or tasks and releases as JSON."},
	{name: "ics", flags: flagDB | flagSettings | flagClock,
		wrongArgs: "ics takes no arguments; write to a file with -o FILE",
		about:     "Write the iCalendar feed: releases' GA and end of support, clean-ups' occurrences, open tasks' due dates."},
	{name: "chart", flags: flagDB | flagSettings | flagClock,
		wrongArgs: "chart takes no arguments; write to a file with -o FILE",
		about:     "Write the weekly chart as a PNG: open work and releases behind over the last 12 weeks."},
}

// subcommands are the names of Run's subcommands besides help.
var subcommands = func() []string {
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
	}
	return names
}()

// lookup returns the subcommand called name.
func lookup(name string) (subcommand, bool) {
	i := slices.IndexFunc(commands, func(c subcommand) bool { return c.name == name })
	if i < 0 {
		return subcommand{}, false
	}
	return commands[i], true
}

// errHelp is a request for a subcommand's usage (-h, -help or --help).
var errHelp = errors.New("help requested")

// flagSet returns the flags of cmd, bound to m's settings, with the
// environment's values as defaults.
func (m *Main) flagSet(cmd subcommand, admins *string) *flag.FlagSet {
	env := func(k, def string) string {
		if v := m.Getenv(k); v != "" {
			return v
		}
		return def
	}
	fs := flag.NewFlagSet("upgradebot "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	// Unset flags keep these values.
	m.Config.DB = env("UPGRADEBOT_DB", "./upgradebot.db")
	*admins = env("UPGRADEBOT_ADMINS", "")
	m.Config.TZ = env("UPGRADEBOT_TZ", "")
	m.Config.Channel = env("UPGRADEBOT_CHANNEL", "")
	m.Config.As = bot.ConsoleUser.ID
	m.Config.Demo = cmd.name == "console"

	if cmd.flags&flagDB != 0 {
		fs.StringVar(&m.Config.DB, "db", m.Config.DB, "the database: a SQLite `FILE` created if missing, or a postgres:// URL (UPGRADEBOT_DB)")
	}
	if cmd.flags&flagSettings != 0 {
		fs.StringVar(admins, "admins", *admins, "comma-separated Slack user `IDS` made admins at start; a restart never removes one (UPGRADEBOT_ADMINS)")
		fs.StringVar(&m.Config.TZ, "tz", m.Config.TZ, "the team's IANA time `ZONE`, e.g. America/Chicago; UTC if never set (UPGRADEBOT_TZ)")
		fs.StringVar(&m.Config.Channel, "channel", m.Config.Channel, "the team channel's `ID` (C…) for notices and digests (UPGRADEBOT_CHANNEL)")
	}
	if cmd.flags&flagClock != 0 {
		fs.StringVar(&m.Config.Clock, "clock", "", clockUsage(cmd.name))
	}
	if cmd.flags&flagAs != 0 {
		fs.StringVar(&m.Config.As, "as", m.Config.As, "act as `USER`, a Slack user id or the @name of someone the desk knows; their rights apply")
	}
	if cmd.flags&flagDemo != 0 {
		fs.BoolVar(&m.Config.Demo, "demo", m.Config.Demo, "seed demo data (made-up people and work) into a new, empty database serve has never used; a switch: -demo=false turns it off")
	}
	m.dataFlags(fs, cmd.name) // import, export, ics and chart have flags of their own
	m.copyFlags(fs, cmd.name)
	return fs
}

func clockUsage(cmd string) string {
	u := "pin \"now\" to `TIME` in the team's zone, e.g. 2026-11-30T09:00, for demos and training (default: the wall clock)"
	if cmd == "console" {
		u += `; "fast" runs the console's clock an hour every 100 ms, scheduled posts included (not on a database serve has run on)`
	}
	return u
}

// checkArgs refuses what flag parsing stopped at when it is not an argument
// cmd takes: a true or false after a switch, a flag after the arguments, or
// too many arguments. args are the arguments after the subcommand's name,
// rest what flag parsing left of them (at least one). Each refusal is one
// line.
func checkArgs(cmd subcommand, fs *flag.FlagSet, args, rest []string) error {
	// "-demo false": a switch takes no separate value, so "false" ended
	// the flags and everything after it would be read as arguments.
	prev := ""
	if first := len(args) - len(rest); first > 0 {
		prev = args[first-1]
	}
	if name, ok := flagName(prev); ok && !strings.Contains(prev, "=") && isSwitch(fs, name) {
		if _, err := strconv.ParseBool(rest[0]); err == nil {
			return usageError{fmt.Sprintf("-%s is a switch: write -%s=%s", name, name, rest[0])}
		}
	}
	// A flag after the arguments would be taken as one, or as exec's text;
	// after "--" it was meant as one.
	for i := max(cmd.nargs, 1); i < len(rest) && prev != "--"; i++ {
		name, ok := flagName(rest[i])
		if !ok || (cmd.nargs < 0 && fs.Lookup(name) == nil) {
			continue
		}
		return usageError{fmt.Sprintf("%s comes after %s; flags go first: upgradebot %s [flags] %s",
			rest[i], quoteArgs(rest[:i]), cmd.name, cmd.args)}
	}
	switch {
	case cmd.nargs == 0:
		msg := cmd.wrongArgs
		if msg == "" {
			msg = cmd.name + " takes no arguments"
		}
		return usageError{fmt.Sprintf("%s; got %s", msg, quoteArgs(rest))}
	case cmd.nargs > 0 && len(rest) != cmd.nargs:
		return usageError{fmt.Sprintf("%s; got %d: %s", cmd.wrongArgs, len(rest), quoteArgs(rest))}
	}
	return nil
}

// flagName returns the name of the flag arg spells (-name, --name,
// -name=value), or false when arg is not one.
func flagName(arg string) (string, bool) {
	if len(arg) < 2 || arg[0] != '-' || arg == "--" {
		return "", false
	}
	name := strings.TrimPrefix(strings.TrimPrefix(arg, "-"), "-")
	name, _, _ = strings.Cut(name, "=")
	if name == "" || name[0] == '-' || name[0] == '=' {
		return "", false
	}
	return name, true
}

// isSwitch reports whether the flag called name is a boolean one.
func isSwitch(fs *flag.FlagSet, name string) bool {
	f := fs.Lookup(name)
	if f == nil {
		return false
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// isHelp reports whether args ask for help before any "--".
func isHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--h", "--help":
			return true
		}
	}
	return false
}

func quoteArgs(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = strconv.Quote(a)
	}
	return strings.Join(q, " ")
}

// printUsage writes cmd's usage: its synopsis, what it does, and each of its
// flags explained.
func printUsage(w io.Writer, cmd subcommand, fs *flag.FlagSet) {
	synopsis := "upgradebot " + cmd.name + " [flags]"
	if cmd.args != "" {
		synopsis += " " + cmd.args
		if cmd.nargs < 0 {
			synopsis += "..."
		}
	}
	where := ""
	if cmd.args != "" {
		where = "before " + cmd.args + "; "
	}
	fmt.Fprintf(w, "Usage: %s\n\n%s\n\nFlags (%sa switch is -name, or -name=false):\n", synopsis, cmd.about, where)
	type line struct{ left, right string }
	var lines []line
	width := 0
	fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		left := "  -" + f.Name
		if !isSwitch(fs, f.Name) {
			left += " " + arg
		}
		if d := f.DefValue; d != "" && d != "false" && !strings.Contains(usage, "(default") {
			if env, ok := strings.CutSuffix(usage, ")"); ok {
				usage = env + "; default " + d + ")"
			} else {
				usage += " (default " + d + ")"
			}
		}
		lines = append(lines, line{left, usage})
		width = max(width, len(left))
	})
	for _, l := range lines {
		fmt.Fprintf(w, "%-*s  %s\n", width, l.left, l.right)
	}
	fmt.Fprintln(w, "\n`upgradebot help` lists every command and environment variable.")
}
