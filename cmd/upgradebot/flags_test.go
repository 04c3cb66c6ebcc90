package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSubcommandHelp: every subcommand answers -h, --help and `help NAME`
// with exit 0 and its usage on stdout, each of its flags explained, and
// opens nothing.
func TestSubcommandHelp(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, cmd := range commands {
		var admins string
		m, _, _ := newTestMain(nil, "")
		fs := m.flagSet(cmd, &admins)
		for _, args := range [][]string{{cmd.name, "-h"}, {cmd.name, "--help"}, {cmd.name, "-help"}, {"help", cmd.name},
			{cmd.name, "-db", "x.db", "-h"}, {cmd.name, "extra", "-h"}} {
			code, out, stderr := runMain(t, nil, "", args...)
			if code != 0 || stderr != "" || !strings.HasPrefix(out, "Usage: upgradebot "+cmd.name+" [flags]") {
				t.Errorf("%q: exit %d, stderr %q, stdout:\n%s", args, code, stderr, out)
				continue
			}
			fs.VisitAll(func(f *flag.Flag) {
				_, usage := flag.UnquoteUsage(f)
				usage, _, _ = strings.Cut(usage, " (") // printUsage adds the default in the parenthesis
				if !strings.Contains(out, "\n  -"+f.Name+" ") || !strings.Contains(out, usage) {
					t.Errorf("%q does not explain -%s:\n%s", args, f.Name, out)
				}
			})
			if cmd.args != "" && !strings.Contains(out, "[flags] "+cmd.args) {
				t.Errorf("%q does not name the arguments %s:\n%s", args, cmd.args, out)
			}
		}
	}
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}, {"help", "help"}, {"help", "-h"}, {"-db", "x.db", "-h"}} {
		code, out, stderr := runMain(t, nil, "", args...)
		if code != 0 || stderr != "" || !strings.Contains(out, "upgradebot COMMAND -h") {
			t.Errorf("%q: exit %d, stderr %q, stdout:\n%s", args, code, stderr, out)
		}
	}
	if files, _ := os.ReadDir("."); len(files) != 0 {
		t.Errorf("asking for help created %v", files)
	}
	// The flags a command does not take are not offered.
	if _, out, _ := runMain(t, nil, "", "serve", "-h"); strings.Contains(out, "-demo") || strings.Contains(out, "-as ") {
		t.Errorf("serve -h offers the console's flags:\n%s", out)
	}
}

// TestStrayArguments: an argument a subcommand does not take is refused
// with exit 2 and one line saying why, and nothing is created; in
// particular "-demo false" no longer ends the flags and drops the rest.
func TestStrayArguments(t *testing.T) {
	slack := map[string]string{"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "s"}
	for _, c := range []struct {
		args []string
		env  map[string]string
		err  string
	}{
		{args: []string{"console", "-demo", "false", "-db", "t3.db"}, err: "-demo is a switch: write -demo=false"},
		{args: []string{"-demo", "false", "-db", "t3.db"}, err: "-demo is a switch: write -demo=false"},
		{args: []string{"exec", "-demo", "true", "list"}, err: "-demo is a switch: write -demo=true"},
		{args: []string{"import", "-dry-run", "false", "tickets.csv"}, err: "-dry-run is a switch: write -dry-run=false"},
		{args: []string{"import", "--update", "0", "tickets.csv"}, err: "-update is a switch: write -update=0"},
		{args: []string{"console", "false"}, err: `console takes no arguments; got "false"`},
		{args: []string{"console", "-db", "t3.db", "list", "mine"}, err: `console takes no arguments; got "list" "mine"`},
		{args: []string{"serve", "now"}, env: slack, err: `serve takes no arguments; got "now"`},
		{args: []string{"serve", "-demo"}, env: slack, err: "flag provided but not defined: -demo; run `upgradebot serve -h`"},
		{args: []string{"migrate", "now"}, err: `migrate takes no arguments; got "now"`},
		{args: []string{"export", "tasks.csv"}, err: `export takes no arguments; write to a file with -o FILE; got "tasks.csv"`},
		{args: []string{"ics", "cal.ics"}, err: `ics takes no arguments; write to a file with -o FILE; got "cal.ics"`},
		{args: []string{"chart", "-o", "c.png", "extra"}, err: `chart takes no arguments; write to a file with -o FILE; got "extra"`},
		{args: []string{"backup"}, err: "backup needs one argument: the file to write"},
		{args: []string{"backup", "a.db", "b.db"}, err: `backup needs one argument: the file to write; got 2: "a.db" "b.db"`},
		{args: []string{"backup", "copy.db", "-db", "t3.db"}, err: `-db comes after "copy.db"; flags go first: upgradebot backup [flags] FILE`},
		{args: []string{"copy"}, err: "copy needs both desks, e.g. upgradebot copy -from upgradebot.db -to postgres://host/db"},
		{args: []string{"copy", "-from", "t3.db"}, err: "copy needs both desks"},
		{args: []string{"copy", "-from", "t3.db", "-to", "t3.db"}, err: "-from and -to are the same database"},
		{args: []string{"copy", "-from", "t3.db", "-to", "t4.db"}, err: "-from: there is no desk at t3.db"},
		{args: []string{"copy", "t3.db", "t4.db"}, err: `copy takes no arguments; name the desks with -from FILE -to URL; got "t3.db" "t4.db"`},
		{args: []string{"copy", "-db", "t3.db"}, err: "flag provided but not defined: -db; run `upgradebot copy -h`"},
		{args: []string{"run-job", "digest", "nudges"}, err: `run-job needs the job's name, e.g. upgradebot run-job digest; got 2: "digest" "nudges"`},
		{args: []string{"run-job", "digest", "-clock", "2026-11-30T08:00"}, err: `-clock comes after "digest"; flags go first: upgradebot run-job [flags] NAME`},
		{args: []string{"import", "a.csv", "-dry-run"}, err: `-dry-run comes after "a.csv"; flags go first: upgradebot import [flags] FILE.csv`},
		{args: []string{"import", "a.csv", "b.csv"}, err: `import needs one argument: the CSV file, e.g. upgradebot import -dry-run tickets.csv; got 2`},
		{args: []string{"exec", "/upgrade list", "-as", "U0ALICE"}, err: `-as comes after "/upgrade list"; flags go first: upgradebot exec [flags] TEXT`},
		{args: []string{"exec", "list", "mine", "--db=t3.db"}, err: `--db=t3.db comes after "list" "mine"; flags go first`},
		{args: []string{"exec", "-clock"}, err: "flag needs an argument: -clock"},
		{args: []string{"help", "exec", "console"}, err: `help takes one command's name at most; got "exec" "console"`},
		{args: []string{"help", "nope"}, err: `unknown command "nope"`},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			code, out, stderr := runMain(t, c.env, "", c.args...)
			if code != 2 || !strings.Contains(stderr, c.err) || out != "" {
				t.Errorf("exit %d, want 2 saying %q\nstdout: %s\nstderr: %s", code, c.err, out, stderr)
			}
			if strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Errorf("the reason should be one line:\n%s", stderr)
			}
			if files, _ := os.ReadDir(dir); len(files) != 0 {
				t.Errorf("a refused command created %v", files)
			}
		})
	}
}

// TestArgumentsStillRead: what checkArgs refuses is only what flag parsing
// would have misread; the forms people write keep working.
func TestArgumentsStillRead(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ok.db")
	for _, args := range [][]string{
		{"exec", "-db", db, "-demo=false", "add", "Check", "the", "-1", "offset"}, // exec's words may start with -
		{"exec", "-db", db, "--", "add", "Drop", "the", "-as", "flag"},            // after --, all of it is the text
		{"exec", "-db", db, "-as", "U0ALICE", "/upgrade list mine"},
		{"migrate", "-db", db},
		{"console", "-db", db, "-demo=false"},
		{"console", "-db=" + db, "-demo", "-clock", "2026-11-30T09:00"},
	} {
		if code, out, stderr := runMain(t, nil, "", args...); code != 0 {
			t.Errorf("%q: exit %d\n%s%s", args, code, out, stderr)
		}
	}
	if _, out, _ := runMain(t, nil, "", "exec", "-db", db, "list"); !strings.Contains(out, "Check the -1 offset") || !strings.Contains(out, "Drop the -as flag") {
		t.Errorf("exec's words were not read as the command:\n%s", out)
	}
}
