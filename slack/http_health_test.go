package slack_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	slackapp "github.com/upgradebot/upgradebot/slack"
	"github.com/upgradebot/upgradebot/store"
)

// makeReadOnly makes the file at path read-only for this process: by its
// mode, or, for root (whom modes do not stop), with the immutable flag. It
// skips the test where neither is possible.
func makeReadOnly(t *testing.T, path string) {
	t.Helper()
	if os.Geteuid() != 0 {
		if err := os.Chmod(path, 0o444); err != nil {
			t.Fatal(err)
		}
		return
	}
	if out, err := exec.Command("chattr", "+i", path).CombinedOutput(); err != nil {
		t.Skipf("running as root and chattr +i failed (%v: %s): cannot make a file read-only", err, out)
	}
	t.Cleanup(func() { exec.Command("chattr", "-i", path).Run() })
}

// TestHealthzReadOnlyDatabase: a database that answers reads but takes no
// writes fails every command, so /healthz answers 503 and says why.
func TestHealthzReadOnlyDatabase(t *testing.T) {
	e := newSlackEnv(t, nil)
	e.db.Close()
	makeReadOnly(t, e.path)
	db, err := store.Open(context.Background(), e.path, e.clock)
	if err != nil {
		t.Fatalf("open the read-only file: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Ping(context.Background()); err != nil {
		t.Fatalf("the read-only database does not answer reads: %v", err)
	}
	e.srv = &slackapp.Server{App: e.slack, SigningSecret: signingSecret, Clock: e.clock, Desk: db}
	w := e.get("/healthz")
	if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), "read-only") {
		t.Errorf("healthz on a read-only database: %d %q; want 503 saying it is read-only", w.Code, w.Body)
	}
}

// TestMetricsOldestPending: /metrics shows how long the oldest message
// still pending has waited, 0 when none is.
func TestMetricsOldestPending(t *testing.T) {
	e := newSlackEnv(t, nil)
	outbox(t, e.db, e.clock)
	gauge := func() string {
		t.Helper()
		w := e.get("/metrics")
		for _, line := range strings.Split(w.Body.String(), "\n") {
			if strings.HasPrefix(line, "upgradebot_outbox_oldest_pending_seconds ") {
				return line
			}
		}
		t.Fatalf("metrics lack upgradebot_outbox_oldest_pending_seconds:\n%s", w.Body)
		return ""
	}
	if g := gauge(); g != "upgradebot_outbox_oldest_pending_seconds 0" {
		t.Errorf("nothing pending: %q", g)
	}
	if err := e.db.QueueMessages(context.Background(), []upgradebot.Message{{Kind: upgradebot.MessageDM, To: bob, Text: "first"}}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(90 * time.Second)
	if err := e.db.QueueMessages(context.Background(), []upgradebot.Message{{Kind: upgradebot.MessageDM, To: alice, Text: "second"}}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(1500 * time.Millisecond)
	if g := gauge(); g != "upgradebot_outbox_oldest_pending_seconds 91.5" {
		t.Errorf("oldest pending queued 91.5s ago: %q", g)
	}
}
