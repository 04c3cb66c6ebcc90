package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// newTestMain returns a Main with the given environment and stdin, writing
// to buffers.
func newTestMain(env map[string]string, stdin string) (*Main, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	m := NewMain()
	m.Getenv = func(k string) string { return env[k] }
	m.Stdin, m.Stdout, m.Stderr = strings.NewReader(stdin), &out, &errOut
	return m, &out, &errOut
}

// runMain runs args and returns the exit code the binary would return.
func runMain(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	m, out, errOut := newTestMain(env, stdin)
	err := m.Run(context.Background(), args)
	if cerr := m.Close(); cerr != nil && err == nil {
		err = cerr
	}
	return exitCode(errOut, err), out.String(), errOut.String()
}

// TestUsageNamesEverySubcommand keeps the package comment and the usage
// text in step with the subcommands Run knows.
func TestUsageNamesEverySubcommand(t *testing.T) {
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	doc, _, _ := strings.Cut(string(src), "package main")
	for _, cmd := range append(slices.Clone(subcommands), "help") {
		if !strings.Contains(doc, "//\tupgradebot "+cmd+" ") {
			t.Errorf("the package comment does not list %q", cmd)
		}
		if cmd != "help" && !strings.Contains(usage, "  upgradebot "+cmd+" ") {
			t.Errorf("the usage text does not list %q", cmd)
		}
	}
}

// TestREADMEDemo replays the demo session in the README and checks that the
// console prints exactly what the README shows.
func TestREADMEDemo(t *testing.T) {
	args, input, want := readmeDemo(t)
	t.Chdir(t.TempDir())
	code, got, stderr := runMain(t, nil, input, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	sameLines(t, "README demo", got, want, 2)
}

// readmeDemo reads the demo session in the README: the arguments of the
// console it runs, the lines typed at its prompts, and everything the
// console prints.
func readmeDemo(t *testing.T) (args []string, input, want string) {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile("(?s)<!-- demo:start -->\n```text\n(.*?)```\n<!-- demo:end -->").FindSubmatch(readme)
	if block == nil {
		t.Fatal("README has no demo block")
	}
	lines := strings.Split(string(block[1]), "\n")
	cmdLine, ok := strings.CutPrefix(lines[0], "$ go run ./cmd/upgradebot ")
	if !ok {
		t.Fatalf("demo block starts with %q, want the command", lines[0])
	}
	var typed []string
	prompt := regexp.MustCompile(`^@[a-z]+> (.*)$`)
	for _, l := range lines[1:] {
		if m := prompt.FindStringSubmatch(l); m != nil {
			typed = append(typed, m[1])
		}
	}
	return strings.Fields(cmdLine), strings.Join(typed, "\n") + "\n", strings.Join(lines[1:], "\n")
}

// sameLines fails the test at the first line where got differs from want,
// naming it by its line in the README's demo block, in which want starts
// at line first.
func sameLines(t *testing.T, what, got, want string, first int) {
	t.Helper()
	if got == want {
		return
	}
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Fatalf("%s differs at line %d:\n got: %q\nwant: %q\n\nfull output:\n%s", what, first+i, gl, wl, got)
		}
	}
}

func TestExecExitCodes(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"UPGRADEBOT_DB": filepath.Join(dir, "x.db"), "UPGRADEBOT_TZ": "Europe/London", "UPGRADEBOT_ADMINS": "U0ADMIN"}
	for _, c := range []struct {
		desc string
		args []string
		env  map[string]string
		code int
		out  string // substring of stdout
		err  string // substring of stderr
	}{
		{desc: "add", args: []string{"exec", "-as", "U0ALICE", "/upgrade add Review notes due:tomorrow"}, code: 0, out: "Added #1 Review notes"},
		{desc: "list", args: []string{"exec", "/upgrade", "list"}, code: 0, out: "#1 Review notes"},
		{desc: "refused", args: []string{"exec", "-as", "U0ALICE", "/upgrade owner <@U0ALICE>"}, code: 1, out: "Only admins"},
		{desc: "malformed", args: []string{"exec", "/upgrade add"}, code: 1, out: "title is empty"},
		{desc: "admin from env", args: []string{"exec", "-as", "U0ADMIN", "/upgrade owner <@U0ALICE>"}, code: 0, out: "now the decision owner"},
		{desc: "no text", args: []string{"exec"}, code: 2, err: "exec needs the command text"},
		{desc: "bad zone", args: []string{"exec", "list"}, env: map[string]string{"UPGRADEBOT_TZ": "Mars/Base"}, code: 2, err: "UPGRADEBOT_TZ"},
		{desc: "bad admin", args: []string{"exec", "list"}, env: map[string]string{"UPGRADEBOT_ADMINS": "alice"}, code: 2, err: "UPGRADEBOT_ADMINS"},
		{desc: "bad channel", args: []string{"exec", "list"}, env: map[string]string{"UPGRADEBOT_CHANNEL": "#general"}, code: 2, err: "UPGRADEBOT_CHANNEL"},
		{desc: "bad flag", args: []string{"exec", "-nope", "list"}, code: 2, err: "-nope"},
		{desc: "unknown subcommand", args: []string{"serve-me"}, code: 2, err: "unknown command"},
		{desc: "unknown -as name", args: []string{"exec", "-as", "@nobody", "list"}, code: 2, err: "-as"},
	} {
		e := map[string]string{}
		for k, v := range env {
			e[k] = v
		}
		for k, v := range c.env {
			e[k] = v
		}
		code, out, stderr := runMain(t, e, "", c.args...)
		if code != c.code || !strings.Contains(out, c.out) || !strings.Contains(stderr, c.err) {
			t.Errorf("%s: exit %d, want %d\nstdout: %s\nstderr: %s", c.desc, code, c.code, out, stderr)
		}
		if c.code == 2 && strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("%s: a bad setting should be one line, got:\n%s", c.desc, stderr)
		}
	}
}

func TestMigrateAndBackup(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"UPGRADEBOT_DB": filepath.Join(dir, "live.db")}
	if code, _, stderr := runMain(t, env, "", "migrate"); code != 0 {
		t.Fatalf("migrate: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runMain(t, env, "", "exec", "add Keep me"); code != 0 {
		t.Fatalf("add: exit %d: %s", code, stderr)
	}
	copyPath := filepath.Join(dir, "copy.db")
	if code, _, stderr := runMain(t, env, "", "backup", copyPath); code != 0 {
		t.Fatalf("backup: exit %d: %s", code, stderr)
	}
	if code, _, _ := runMain(t, env, "", "backup", copyPath); code == 0 {
		t.Fatal("backup over an existing file succeeded")
	}
	code, out, stderr := runMain(t, map[string]string{"UPGRADEBOT_DB": copyPath}, "", "exec", "list")
	if code != 0 || !strings.Contains(out, "Keep me") {
		t.Fatalf("the backup lacks the task: exit %d\n%s%s", code, out, stderr)
	}
}

func TestConsoleCommands(t *testing.T) {
	t.Chdir(t.TempDir())
	code, out, stderr := runMain(t, nil, ":who\n:as @priya\n--as @sam list mine\n:as @nobody\nlist mine\n:quit\nlist\n", "console", "-clock", "2026-11-30T09:00")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"You are @you.", "You are now @priya.", "@priya> --as @sam list mine", "Regression-test the lab result interfaces", `who is "nobody"`, "#9 Duplicate medical record clean-up"} {
		if !strings.Contains(out, want) {
			t.Errorf("console output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "@priya> list\n") {
		t.Error("console read past :quit")
	}
	// A second start does not seed again.
	_, out, _ = runMain(t, nil, "", "console")
	if strings.Contains(out, "Seeded") {
		t.Errorf("seeded twice:\n%s", out)
	}
}

func TestRunJob(t *testing.T) {
	env := map[string]string{"UPGRADEBOT_DB": filepath.Join(t.TempDir(), "jobs.db"), "UPGRADEBOT_CHANNEL": "C0TEAM"}
	if code, _, stderr := runMain(t, env, "", "exec", "add Overdue thing due:2026-01-05"); code != 0 {
		t.Fatalf("add: exit %d: %s", code, stderr)
	}
	code, out, stderr := runMain(t, env, "", "run-job", "-clock", "2026-11-30T08:00", "digest")
	if code != 0 || !strings.Contains(out, "digest: ran for 2026-11-30 08:00:00") {
		t.Fatalf("run-job digest: exit %d\n%s%s", code, out, stderr)
	}
	code, out, _ = runMain(t, env, "", "run-job", "-clock", "2026-11-30T08:00", "digest")
	if code != 0 || !strings.Contains(out, "already ran") {
		t.Fatalf("second run-job for the same instant: exit %d\n%s", code, out)
	}
	// The digest waits in the outbox; the console prints it.
	_, out, _ = runMain(t, env, "", "console", "-demo=false", "-clock", "2026-11-30T09:00")
	if !strings.Contains(out, "[#C0TEAM] *Upgrade digest · Mon 30 Nov: 1 overdue*") || !strings.Contains(out, "Overdue thing") { // issue 15: the summary first
		t.Errorf("console did not show the digest:\n%s", out)
	}
	code, _, stderr = runMain(t, env, "", "run-job", "nonsense")
	if code != 2 || !strings.Contains(stderr, `"nonsense"`) {
		t.Errorf("unknown job: exit %d, stderr %s", code, stderr)
	}
	code, _, stderr = runMain(t, map[string]string{"UPGRADEBOT_DB": env["UPGRADEBOT_DB"], "UPGRADEBOT_DIGEST_SCHEDULE": "every day"}, "", "run-job", "digest")
	if code != 2 || !strings.Contains(stderr, "UPGRADEBOT_DIGEST_SCHEDULE") {
		t.Errorf("bad schedule: exit %d, stderr %s", code, stderr)
	}
}

// TestStoredSchedules: schedules stored with `/upgrade config schedule` are
// used from the next start; UPGRADEBOT_DIGEST_SCHEDULE still wins.
func TestStoredSchedules(t *testing.T) {
	env := map[string]string{"UPGRADEBOT_DB": filepath.Join(t.TempDir(), "s.db")}
	for _, c := range []string{`config schedule digest "0 7 * * 1-5"`, `config schedule nudges "0 10-15 * * 1-5"`} {
		if code, out, stderr := runMain(t, env, "", "exec", c); code != 0 || !strings.Contains(out, "next starts") {
			t.Fatalf("%s: exit %d\n%s%s", c, code, out, stderr)
		}
	}
	specs := func(env map[string]string) map[string]string {
		t.Helper()
		got, _ := startSpecs(t, env)
		return got
	}
	got := specs(env)
	if got["digest"] != "0 7 * * 1-5" || got["nudges"] != "0 10-15 * * 1-5" || got["cleanups"] != "0 6 * * *" {
		t.Errorf("stored schedules not used: %v", got)
	}
	env["UPGRADEBOT_DIGEST_SCHEDULE"] = "0 6 * * *"
	if got := specs(env); got["digest"] != "0 6 * * *" || got["nudges"] != "0 10-15 * * 1-5" {
		t.Errorf("the environment does not win: %v", got)
	}
}

// startSpecs starts the scheduler as serve would on env's database and
// returns each job's spec, and what was logged.
func startSpecs(t *testing.T, env map[string]string) (map[string]string, string) {
	t.Helper()
	m, _, errOut := newTestMain(env, "")
	defer m.Close()
	if _, err := m.parseFlags("exec", nil); err != nil {
		t.Fatal(err)
	}
	if err := m.open(t.Context(), "exec"); err != nil {
		t.Fatal(err)
	}
	s, err := m.scheduler(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, j := range s.Jobs {
		got[j.Name] = j.Spec
	}
	return got, errOut.String()
}

// TestScheduleCheckedWhenSet: `/upgrade config schedule` reads a spec with
// the parser the scheduler starts with, so a spec that never fires (30
// February) is refused when it is set, with the reason, and nothing is
// stored; and every spec it accepts is the one the scheduler uses at the
// next start, never dropped for the default.
func TestScheduleCheckedWhenSet(t *testing.T) {
	env := map[string]string{"UPGRADEBOT_DB": filepath.Join(t.TempDir(), "s.db"), "UPGRADEBOT_ADMINS": "U0ADMIN"}
	set := func(spec string) (int, string) {
		t.Helper()
		code, out, stderr := runMain(t, env, "", "exec", "--as", "U0ADMIN", `/upgrade config schedule digest "`+spec+`"`)
		return code, out + stderr
	}
	for _, c := range []struct{ spec, reason string }{
		{"0 0 30 2 *", "it never matches a date"},
		{"0 0 31 4 *", "it never matches a date"},
		{"0 25 * * *", "above maximum"},
		{"every morning", "expected exactly 5 fields"},
		{"@every 1h", "@every is an interval"},
		{"TZ=UTC 0 8 * * *", "drop the TZ= prefix"},
	} {
		code, out := set(c.spec)
		if code != 1 || !strings.Contains(out, c.reason) {
			t.Errorf("config schedule digest %q: exit %d, want 1 saying %q:\n%s", c.spec, code, c.reason, out)
		}
		if got, _ := startSpecs(t, env); got["digest"] != "0 8 * * 1-5" {
			t.Errorf("after %q was refused, the digest starts on %q, want the default", c.spec, got["digest"])
		}
	}
	for _, spec := range []string{"0 0 29 2 *", "@daily", "0 9 * * 1-5", "30 0 31 1,3 *", "0 0 30 2 1"} {
		if code, out := set(spec); code != 0 || !strings.Contains(out, "next starts") {
			t.Fatalf("config schedule digest %q: exit %d:\n%s", spec, code, out)
		}
		got, logged := startSpecs(t, env)
		if got["digest"] != spec || strings.Contains(logged, "unusable") {
			t.Errorf("accepted %q, but the digest starts on %q:\n%s", spec, got["digest"], logged)
		}
	}
}
