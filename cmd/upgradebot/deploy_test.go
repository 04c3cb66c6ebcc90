package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// deployDir holds the files that run upgradebot outside go run.
const deployDir = "../../deploy"

// settingVar matches the name of one of the program's environment variables.
var settingVar = regexp.MustCompile(`\b(?:UPGRADEBOT|SLACK)_[A-Z][A-Z_]*[A-Z]\b`)

func readDeploy(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(deployDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDeployEnvExample keeps env.example the list of every setting: each
// variable the usage text names is in it, and each it names is one the
// program reads. So are the variables the other deploy files set.
func TestDeployEnvExample(t *testing.T) {
	known := map[string]bool{}
	for _, v := range settingVar.FindAllString(usage, -1) {
		known[v] = true
	}
	env := readDeploy(t, "env.example")
	listed := map[string]bool{}
	for i, line := range strings.Split(env, "\n") {
		// A setting's line, set or commented out: [#]NAME=value.
		name, _, ok := strings.Cut(strings.TrimPrefix(line, "#"), "=")
		if ok && settingVar.MatchString(name) && settingVar.FindString(name) == name {
			listed[name] = true
			if strings.ContainsAny(line, `"'`) {
				t.Errorf("env.example:%d: %s is quoted; systemd, compose and docker --env-file read quotes differently", i+1, name)
			}
		}
	}
	for v := range known {
		if !listed[v] {
			t.Errorf("env.example does not list %s (a NAME= or #NAME= line), which upgradebot help names", v)
		}
	}
	entries, err := os.ReadDir(deployDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		text := readDeploy(t, e.Name())
		for _, v := range settingVar.FindAllString(text, -1) {
			if !known[v] {
				t.Errorf("deploy/%s names %s, which upgradebot does not read (not in its usage text)", e.Name(), v)
			}
		}
	}
}

// unitSettings returns the values of key in a systemd unit, in order.
func unitSettings(unit, key string) []string {
	var vals []string
	for _, line := range strings.Split(unit, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), key+"="); ok {
			vals = append(vals, strings.TrimSpace(v))
		}
	}
	return vals
}

// checkCommandLine checks that args (what follows the upgradebot binary)
// name a subcommand and that its flags and arguments parse.
func checkCommandLine(t *testing.T, where string, args []string) string {
	t.Helper()
	if len(args) == 0 {
		t.Errorf("%s: runs upgradebot without a subcommand; name it (serve)", where)
		return ""
	}
	name := args[0]
	if _, ok := lookup(name); !ok {
		t.Errorf("%s: %q is not a subcommand of upgradebot (%s)", where, name, strings.Join(subcommands, ", "))
		return name
	}
	m, _, _ := newTestMain(map[string]string{}, "")
	if _, err := m.parseFlags(name, args[1:]); err != nil {
		t.Errorf("%s: upgradebot %s: %v", where, strings.Join(args, " "), err)
	}
	return name
}

// TestDeployUnits keeps the systemd units runnable: they run subcommands
// upgradebot has, with flags it takes, and keep the promises the README
// makes of them.
func TestDeployUnits(t *testing.T) {
	hardening := []string{"NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes", "KillSignal=SIGTERM",
		"Restart=on-failure", "EnvironmentFile=/etc/upgradebot/env", "RestartPreventExitStatus=" + strconv.Itoa(exitUsage)}
	for _, name := range []string{"upgradebot.service", "upgradebot@.service"} {
		unit := readDeploy(t, name)
		var ran []string
		for _, key := range []string{"ExecStartPre", "ExecStart", "ExecStartPost", "ExecStop", "ExecReload"} {
			for _, line := range unitSettings(unit, key) {
				fields := strings.Fields(strings.TrimLeft(line, "-@:+!"))
				if len(fields) == 0 || filepath.Base(fields[0]) != "upgradebot" {
					continue
				}
				if !filepath.IsAbs(fields[0]) {
					t.Errorf("%s: %s=%s: systemd needs the binary's absolute path", name, key, line)
				}
				ran = append(ran, key+" "+checkCommandLine(t, name+": "+key, fields[1:]))
			}
		}
		if !slices.Contains(ran, "ExecStart serve") {
			t.Errorf("%s: ExecStart does not run upgradebot serve (runs: %q)", name, ran)
		}
		for _, want := range hardening {
			key, val, _ := strings.Cut(want, "=")
			if !slices.Contains(unitSettings(unit, key), val) {
				t.Errorf("%s: no %s", name, want)
			}
		}
		// The drain takes up to shutdownTimeout; systemd must wait longer
		// before it sends SIGKILL.
		stop := unitSettings(unit, "TimeoutStopSec")
		if len(stop) != 1 {
			t.Errorf("%s: want one TimeoutStopSec, got %q", name, stop)
		} else if s, err := strconv.Atoi(strings.TrimSuffix(stop[0], "s")); err != nil || s <= int(shutdownTimeout.Seconds()) {
			t.Errorf("%s: TimeoutStopSec=%s; give serve's drain (%v) time to finish", name, stop[0], shutdownTimeout)
		}
	}

	one := readDeploy(t, "upgradebot.service")
	if !slices.Contains(unitSettings(one, "ExecStartPre"), "/usr/local/bin/upgradebot migrate") {
		t.Error("upgradebot.service: no ExecStartPre=/usr/local/bin/upgradebot migrate")
	}
	state := unitSettings(one, "StateDirectory")
	dir := "/var/lib/" + strings.Join(state, "")
	if len(state) != 1 || !slices.Contains(unitSettings(one, "WorkingDirectory"), dir) ||
		!slices.Contains(unitSettings(one, "ReadWritePaths"), dir) ||
		!slices.Contains(unitSettings(one, "Environment"), "UPGRADEBOT_DB="+dir+"/upgradebot.db") {
		t.Errorf("upgradebot.service: the SQLite file must live in the state directory %s, its working directory and only writable path", dir)
	}
	replica := readDeploy(t, "upgradebot@.service")
	if !slices.Contains(unitSettings(replica, "Environment"), "UPGRADEBOT_ADDR=:%i") {
		t.Error("upgradebot@.service: each instance must listen on its own port: Environment=UPGRADEBOT_ADDR=:%i")
	}
	for _, key := range []string{"StateDirectory", "WorkingDirectory", "ReadWritePaths"} {
		if v := unitSettings(replica, key); len(v) > 0 {
			t.Errorf("upgradebot@.service: %s=%s; a replica keeps no local state", key, v[0])
		}
	}
}

// composeService is one service of compose.yaml, read loosely: its own
// lines, and the anchor's it merges.
type composeService struct {
	name  string
	lines []string
}

// composeBlocks splits the top-level keys of a compose file into their
// indented lines, and the services into theirs.
func composeBlocks(text string) (top map[string][]string, services []composeService) {
	top = map[string][]string{}
	var key string
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		if line[0] != ' ' {
			key, _, _ = strings.Cut(line, ":")
			continue
		}
		top[key] = append(top[key], line)
		if key != "services" {
			continue
		}
		if name, ok := strings.CutSuffix(strings.TrimPrefix(line, "  "), ":"); ok && !strings.HasPrefix(name, " ") {
			services = append(services, composeService{name: name})
		} else if len(services) > 0 {
			services[len(services)-1].lines = append(services[len(services)-1].lines, strings.TrimPrefix(line, "  "))
		}
	}
	return top, services
}

// composeValue returns the value of key at indent 2 in lines ("" if none)
// and the lines of its block.
func composeValue(lines []string, key string) (string, []string) {
	for i, line := range lines {
		v, ok := strings.CutPrefix(line, "  "+key+":")
		if !ok {
			continue
		}
		var block []string
		for _, l := range lines[i+1:] {
			if !strings.HasPrefix(l, "    ") && !strings.HasPrefix(l, "  - ") {
				break
			}
			block = append(block, l)
		}
		return strings.TrimSpace(v), block
	}
	return "", nil
}

// composeCommand reads a command written as a flow list: ["serve"].
func composeCommand(t *testing.T, v string) []string {
	t.Helper()
	inner, ok := strings.CutPrefix(v, "[")
	inner, ok2 := strings.CutSuffix(inner, "]")
	if !ok || !ok2 {
		t.Errorf("compose.yaml: command %s: write it as a list, [\"serve\"]", v)
		return nil
	}
	var args []string
	for _, a := range strings.Split(inner, ",") {
		s, err := strconv.Unquote(strings.TrimSpace(a))
		if err != nil {
			t.Errorf("compose.yaml: command %s: %v", v, err)
		}
		args = append(args, s)
	}
	return args
}

// TestDeployCompose keeps compose.yaml and its Caddyfile in step with the program and the repository: every file they name
// exists, the upgradebot services run subcommands it has, the replicas
// start after the migration, and the load balancer checks /healthz on
// services that exist.
func TestDeployCompose(t *testing.T) {
	text := readDeploy(t, "compose.yaml")
	top, services := composeBlocks(text)
	// Anchors are top-level x- keys: x-name: &name.
	anchors := map[string][]string{}
	for _, line := range strings.Split(text, "\n") {
		if key, ref, ok := strings.Cut(line, ": &"); ok && strings.HasPrefix(key, "x-") {
			anchors[strings.TrimSpace(ref)] = top[key]
		}
	}
	byName := map[string]composeService{}
	for i := range services {
		s := &services[i]
		// Merge the anchor's keys the service does not set itself.
		for _, l := range s.lines {
			if ref, ok := strings.CutPrefix(l, "  <<: *"); ok {
				base, found := anchors[strings.TrimSpace(ref)]
				if !found {
					t.Errorf("compose.yaml: service %s merges *%s, which is not defined", s.name, ref)
				}
				var merged []string
				for k := 0; k < len(base); {
					// base[k] is a key; its block runs to the next one.
					key, _, _ := strings.Cut(strings.TrimSpace(base[k]), ":")
					end := k + 1
					for end < len(base) && (strings.HasPrefix(base[end], "    ") || strings.HasPrefix(base[end], "  - ")) {
						end++
					}
					if own, ownBlock := composeValue(s.lines, key); own == "" && len(ownBlock) == 0 {
						merged = append(merged, base[k:end]...)
					}
					k = end
				}
				s.lines = append(merged, s.lines...)
			}
		}
		byName[s.name] = *s
	}

	var replicas []string
	for _, s := range services {
		where := "compose.yaml: service " + s.name
		image, _ := composeValue(s.lines, "image")
		build, buildBlock := composeValue(s.lines, "build")
		// Files: the build context and Containerfile, env files, bind mounts.
		if build != "" || len(buildBlock) > 0 {
			ctx, _ := composeValue(dedent(buildBlock), "context")
			file, _ := composeValue(dedent(buildBlock), "dockerfile")
			ctxDir := filepath.Join(deployDir, ctx)
			if st, err := os.Stat(ctxDir); err != nil || !st.IsDir() {
				t.Errorf("%s: build context %q is not a directory", where, ctx)
			}
			if _, err := os.Stat(filepath.Join(ctxDir, file)); file == "" || err != nil {
				t.Errorf("%s: dockerfile %q does not exist in the context", where, file)
			}
		}
		_, envFiles := composeValue(s.lines, "env_file")
		for _, l := range envFiles {
			f := filepath.Join(deployDir, strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "- ")))
			// The filled-in env file is the operator's copy of env.example.
			if _, err := os.Stat(f + ".example"); err != nil {
				if _, err := os.Stat(f); err != nil {
					t.Errorf("%s: env_file %s: neither it nor %s.example exists", where, l, f)
				}
			}
		}
		_, volumes := composeValue(s.lines, "volumes")
		for _, l := range volumes {
			v := strings.Trim(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "- ")), `"`)
			if src, _, ok := strings.Cut(v, ":"); ok && strings.HasPrefix(src, ".") {
				if _, err := os.Stat(filepath.Join(deployDir, src)); err != nil {
					t.Errorf("%s: mounts %s, which does not exist", where, src)
				}
			}
		}
		if image != "upgradebot:local" {
			continue
		}
		cmd, _ := composeValue(s.lines, "command")
		switch checkCommandLine(t, where, composeCommand(t, cmd)) {
		case "serve":
			replicas = append(replicas, s.name)
			_, deps := composeValue(s.lines, "depends_on")
			if !strings.Contains(strings.Join(deps, "\n"), "migrate:\n      condition: service_completed_successfully") {
				t.Errorf("%s: must start after migrate has completed successfully", where)
			}
			if grace, _ := composeValue(s.lines, "stop_grace_period"); grace != "40s" {
				t.Errorf("%s: stop_grace_period %q; give serve's drain (%v) time: 40s", where, grace, shutdownTimeout)
			}
		case "migrate":
			if r, _ := composeValue(s.lines, "restart"); r != `"no"` {
				t.Errorf("%s: the migration runs once: restart: \"no\"", where)
			}
		}
		_, env := composeValue(s.lines, "environment")
		if !strings.Contains(strings.Join(env, "\n"), "UPGRADEBOT_DB: postgres://") {
			t.Errorf("%s: UPGRADEBOT_DB must be the postgres service's URL", where)
		}
	}
	if len(replicas) < 3 {
		t.Errorf("compose.yaml: %d replicas running serve (%v), want 3", len(replicas), replicas)
	}
	if pg, _ := composeValue(byName["postgres"].lines, "image"); pg != "postgres:15" {
		t.Errorf("compose.yaml: postgres service's image %q, want postgres:15", pg)
	}

	// The load balancer sends requests to exactly the replicas, and checks
	// each one's /healthz.
	caddy := readDeploy(t, "Caddyfile")
	upstreams := regexp.MustCompile(`(?m)^\s*reverse_proxy ((?:[a-z0-9-]+:3000 ?)+)\{`).FindStringSubmatch(caddy)
	if upstreams == nil {
		t.Fatal("Caddyfile: no reverse_proxy to the replicas on :3000")
	}
	var targets []string
	for _, u := range strings.Fields(upstreams[1]) {
		targets = append(targets, strings.TrimSuffix(u, ":3000"))
	}
	if !slices.Equal(targets, replicas) {
		t.Errorf("Caddyfile proxies to %v, compose.yaml's replicas are %v", targets, replicas)
	}
	for _, want := range []string{"health_uri /healthz", "health_status 200"} {
		if !strings.Contains(caddy, want) {
			t.Errorf("Caddyfile lacks %q", want)
		}
	}
}

// dedent takes the two spaces of a nested block off its lines.
func dedent(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimPrefix(l, "  ")
	}
	return out
}

// TestDeployContainerfile keeps the image buildable from the repository:
// the Go it builds with is go.mod's, the package it builds exists, cgo is
// off (the SQLite driver is pure Go), it runs as non-root, and it runs a
// subcommand upgradebot has.
func TestDeployContainerfile(t *testing.T) {
	cf := readDeploy(t, "Containerfile")
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	goVersion := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(mod)
	if goVersion == nil || !strings.Contains(cf, "FROM golang:"+string(goVersion[1])+" AS build") {
		t.Errorf("Containerfile does not build with golang:%s, go.mod's Go", goVersion[1])
	}
	for _, want := range []string{"CGO_ENABLED=0", "./cmd/upgradebot", "USER 65532:65532", `VOLUME ["/data"]`, "UPGRADEBOT_DB=/data/upgradebot.db", "/healthz"} {
		if !strings.Contains(cf, want) {
			t.Errorf("Containerfile lacks %q", want)
		}
	}
	cmd := regexp.MustCompile(`(?m)^CMD (\[.*\])$`).FindStringSubmatch(cf)
	if cmd == nil {
		t.Fatal("Containerfile: no CMD [\"serve\"]")
	}
	if name := checkCommandLine(t, "Containerfile CMD", composeCommand(t, cmd[1])); name != "serve" {
		t.Errorf("Containerfile: CMD runs %q, want serve", name)
	}
}

// TestDeployREADME keeps deploy/README.md's table the list of deploy/'s
// files, and the main README's links into deploy/ pointing at files.
func TestDeployREADME(t *testing.T) {
	main, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	links := regexp.MustCompile(`\]\((deploy/[^)#]+)`).FindAllStringSubmatch(string(main), -1)
	if len(links) == 0 {
		t.Error("README.md links to nothing in deploy/")
	}
	for _, l := range links {
		if _, err := os.Stat(filepath.Join("../..", l[1])); err != nil {
			t.Errorf("README.md links to %s, which does not exist", l[1])
		}
	}
	readme := readDeploy(t, "README.md")
	entries, err := os.ReadDir(deployDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if n := e.Name(); !e.IsDir() && n != "README.md" && !strings.HasPrefix(n, ".") && !strings.Contains(readme, "`"+n+"`") {
			t.Errorf("deploy/README.md does not list %s", n)
		}
	}
}
