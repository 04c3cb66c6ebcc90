package main

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
	"github.com/upgradebot/upgradebot/store"
)

// TestConsoleNeverRegrantsAdmin: the console's user is made an admin only
// of a database with no admin at all that serve has never used; once an
// admin removes them, no console or exec start gives it back.
func TestConsoleNeverRegrantsAdmin(t *testing.T) {
	dir := t.TempDir()
	exec := func(env map[string]string, want int, args ...string) string {
		t.Helper()
		code, out, stderr := runMain(t, env, "", append([]string{"exec"}, args...)...)
		if code != want {
			t.Fatalf("exec %q: exit %d, want %d\n%s%s", args, code, want, out, stderr)
		}
		return out
	}

	// A new console-only desk: @you is its first admin, and hands over.
	desk := map[string]string{"UPGRADEBOT_DB": filepath.Join(dir, "desk.db")}
	if out := exec(desk, 0, "admin"); !strings.Contains(out, "Admins: @you.") {
		t.Fatalf("a new desk's console user is not its admin:\n%s", out)
	}
	exec(desk, 0, "admin add <@U0DANA|dana>")
	exec(desk, 0, "-as", "@dana", "admin remove @you")
	for range 2 { // neither exec nor the console starts give it back
		if out := exec(desk, 0, "admin"); !strings.Contains(out, "Admins: @dana.") {
			t.Errorf("the console user was made an admin again:\n%s", out)
		}
		code, out, _ := runMain(t, desk, "admin\n", "console", "-demo=false")
		if code != 0 || !strings.Contains(out, "Admins: @dana.") {
			t.Errorf("console start: exit %d\n%s", code, out)
		}
	}
	if out := exec(desk, 1, "admin add <@U0EVE>"); !strings.Contains(out, "Only admins") {
		t.Errorf("the removed console user still acts as an admin:\n%s", out)
	}

	// A new desk with admins named by the environment: they run it.
	named := map[string]string{"UPGRADEBOT_DB": filepath.Join(dir, "named.db"), "UPGRADEBOT_ADMINS": "U0ADMIN"}
	if out := exec(named, 0, "admin"); !strings.Contains(out, "Admins: @U0ADMIN.") {
		t.Errorf("with UPGRADEBOT_ADMINS the console user was made an admin too:\n%s", out)
	}

	// A desk serve has used, even one without admins: never.
	served := map[string]string{"UPGRADEBOT_DB": filepath.Join(dir, "served.db")}
	recordServe(t, served["UPGRADEBOT_DB"])
	if out := exec(served, 0, "admin"); !strings.Contains(out, "No admins yet") {
		t.Errorf("the console user was made an admin of a desk serve has used:\n%s", out)
	}
	// Nor is the demo seeded there, though the console seeds a new database.
	code, out, _ := runMain(t, served, "list all\n", "console")
	if code != 0 || strings.Contains(out, "Seeded") || !strings.HasPrefix(out, bot.LiveNotice+"\n") {
		t.Errorf("console on an empty desk serve has used: exit %d\n%s", code, out)
	}
}

// recordServe marks the database at path as one serve has run on.
func recordServe(t *testing.T, path string) {
	t.Helper()
	db, err := store.Open(t.Context(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.RecordServe(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// TestExecOnLiveDesk is issue 10's acceptance test: after serve has run once
// on a database, exec of `add … <@U…>` leaves the DM pending (the console
// and exec never mark a live desk's messages sent), and the next serve
// delivers it exactly once.
func TestExecOnLiveDesk(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	slackAPI := newFakeSlack(t, nil)
	dbPath := filepath.Join(t.TempDir(), "live.db")
	env := map[string]string{"UPGRADEBOT_DB": dbPath, "UPGRADEBOT_TZ": "America/Chicago", "UPGRADEBOT_ADMINS": "U0ADMIN"}
	serveEnv := []string{"SLACK_BOT_TOKEN=xoxb-live-test", "SLACK_SIGNING_SECRET=live-test-secret", "SLACK_APP_TOKEN=",
		"SLACK_API_URL=" + slackAPI.URL + "/api/", "UPGRADEBOT_ADDR=127.0.0.1:0", "UPGRADEBOT_SEND_INTERVAL=0"}
	for k, v := range env {
		serveEnv = append(serveEnv, k+"="+v)
	}
	run := func(stdin string, args ...string) string {
		t.Helper()
		code, out, stderr := runMain(t, env, stdin, args...)
		if code != 0 {
			t.Fatalf("%q: exit %d\n%s%s", args, code, out, stderr)
		}
		return out
	}
	serveOnce := func(until func() bool) {
		t.Helper()
		child, _ := startServe(t, serveEnv)
		for deadline := time.Now().Add(30 * time.Second); !until(); time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("serve did not deliver in 30 s")
			}
		}
		child.Process.Signal(syscall.SIGTERM)
		if err := child.Wait(); err != nil {
			t.Fatalf("serve after SIGTERM: %v", err)
		}
	}

	// Console-only: exec prints the DM and settles it; serve never sends it.
	if out := run("", "exec", "-as", "U0ADMIN", "add Before serve <@U0ALICE>"); !strings.Contains(out, "\n[DM @U0ALICE] ") {
		t.Fatalf("exec on a console-only desk did not print the DM:\n%s", out)
	}
	serveOnce(func() bool { return true })

	// Live: the DM is shown as queued, and left pending.
	out := run("", "exec", "-as", "U0ADMIN", "add Call the lab vendor <@U0ALICE>")
	if !strings.Contains(out, "\n[queued for Slack: DM @U0ALICE] ") || strings.Contains(out, "\n[DM ") {
		t.Fatalf("exec on a live desk:\n%s", out)
	}
	dm := func() *upgradebot.Message {
		t.Helper()
		db, err := store.Open(context.Background(), dbPath, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		for id := int64(1); ; id++ {
			m, err := db.FindMessage(context.Background(), id)
			if err != nil {
				t.Fatalf("no DM about the new task: %v", err)
			}
			if m.Kind == upgradebot.MessageDM && strings.Contains(m.Text, "Call the lab vendor") {
				return m
			}
		}
	}
	if m := dm(); m.Status != upgradebot.MessagePending || m.SlackChannel != "" {
		t.Fatalf("after exec the DM is %s in %q, want pending for Slack", m.Status, m.SlackChannel)
	}
	// Neither a later exec nor the console prints or settles it.
	if out := run("", "exec", "-as", "U0ADMIN", "admin"); strings.Contains(out, "Call the lab vendor") {
		t.Errorf("exec printed a message it did not queue:\n%s", out)
	}
	out = run("admin\n", "console", "-as", "U0ADMIN")
	if !strings.HasPrefix(out, bot.LiveNotice+"\n") || strings.Contains(out, "Call the lab vendor") || strings.Contains(out, "Seeded") {
		t.Errorf("console on a live desk:\n%s", out)
	}
	if code, _, stderr := runMain(t, env, "", "console", "-clock", "fast"); code != 2 || !strings.Contains(stderr, "-clock fast: serve has run on") {
		t.Errorf("console -clock fast on a live desk: exit %d: %s", code, stderr)
	}
	if m := dm(); m.Status != upgradebot.MessagePending {
		t.Fatalf("after exec and the console the DM is %s, want pending", m.Status)
	}
	if n := len(slackAPI.postsOf("Call the lab vendor")); n != 0 {
		t.Fatalf("the DM was posted %d times before the next serve", n)
	}

	// The next serve delivers it, once, as a DM.
	serveOnce(func() bool { return len(slackAPI.postsOf("Call the lab vendor")) > 0 })
	posts := slackAPI.postsOf("Call the lab vendor")
	if len(posts) != 1 || !strings.HasPrefix(posts[0], "D0ALICE ") {
		t.Errorf("chat.postMessage calls for the DM: %v, want one to D0ALICE", posts)
	}
	if m := dm(); m.Status != upgradebot.MessageSent || m.SlackChannel != "D0ALICE" {
		t.Errorf("after serve the DM is %s in %q, want sent in D0ALICE", m.Status, m.SlackChannel)
	}
	if n := len(slackAPI.postsOf("Before serve")); n != 0 {
		t.Errorf("the DM exec settled on the console-only desk was posted %d times", n)
	}
}
