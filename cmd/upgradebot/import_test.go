package main

import (
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/store"
)

// TestImportWhileServing imports 20,000 tickets into the database a live
// `serve` uses, as an operator would from another shell, while signed
// slash commands keep arriving: the import stores its chunks with pauses
// between them, so the commands go on being answered, with their real
// reply (not the "working on it" of one that took longer than the 2 s the
// bot waits), and their tasks are stored between the import's chunks, not
// only after it (their ids fall among the imported tasks'). The latencies
// are logged, not asserted.
func TestImportWhileServing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	const secret = "import-test-signing-secret"
	slackAPI := newFakeSlack(t, nil)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "live.db")
	child, addr := startServe(t, []string{
		"SLACK_BOT_TOKEN=xoxb-import-test", "SLACK_SIGNING_SECRET=" + secret, "SLACK_APP_TOKEN=",
		"SLACK_API_URL=" + slackAPI.URL + "/api/", "UPGRADEBOT_DB=" + dbPath,
		"UPGRADEBOT_ADDR=127.0.0.1:0", "UPGRADEBOT_SEND_INTERVAL=0", "UPGRADEBOT_TZ=America/Chicago",
	})
	defer child.Process.Kill()
	csv := filepath.Join(dir, "tickets.csv")
	const n = 20000
	bigExport(t, csv, n, 0)

	type answer struct {
		took, at time.Duration // since the import began
		ok       bool
		body     string
		id       int64 // the added task's
	}
	var (
		mu      sync.Mutex
		answers []answer
		wg      sync.WaitGroup
	)
	done := make(chan struct{})
	began := time.Now()
	client := &http.Client{Timeout: 10 * time.Second}
	for w := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				default:
				}
				sent := time.Now()
				code, body, err := signedCommand(client, addr, secret, "U0SENDER", fmt.Sprintf("add Live task %d-%d <@U0BOB> due:+1w", w, i))
				a := answer{took: time.Since(sent), at: time.Since(began), body: body,
					ok: err == nil && code == http.StatusOK && strings.Contains(body, "Added")}
				if m := addedRE.FindStringSubmatch(body); m != nil {
					a.id, _ = strconv.ParseInt(m[1], 10, 64)
				}
				mu.Lock()
				answers = append(answers, a)
				mu.Unlock()
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
	code, out, stderr := runMain(t, map[string]string{"UPGRADEBOT_DB": dbPath}, "", "import", "-as", "U0DANA", csv)
	importTook := time.Since(began)
	close(done)
	wg.Wait()
	if code != 0 || !strings.Contains(out, fmt.Sprintf("Imported %d new tasks", n)) {
		t.Fatalf("import: exit %d\n%s%s", code, out, stderr)
	}

	var during []time.Duration
	for _, a := range answers {
		if !a.ok {
			t.Errorf("a command answered %q after %v", a.body, a.took)
			continue
		}
		if a.at < importTook {
			during = append(during, a.took)
		}
	}
	slices.Sort(during)
	if len(during) < 10 {
		t.Fatalf("%d commands answered during the %v import, want them answered while it runs", len(during), importTook)
	}
	t.Logf("import of %d tickets: %v; %d commands answered during it: p50 %v, p99 %v, max %v", n, importTook.Round(time.Millisecond),
		len(during), during[len(during)/2].Round(time.Millisecond), during[len(during)*99/100].Round(time.Millisecond), during[len(during)-1].Round(time.Millisecond))
	if got := countTasks(t, dbPath); got != n+len(answers) {
		t.Errorf("%d tasks, want %d imported and %d added", got, n, len(answers))
	}

	// The commands' tasks were stored between the import's chunks.
	db, err := store.Open(t.Context(), dbPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	imported, _, err := db.FindTasks(t.Context(), upgradebot.TaskFilter{Words: []string{"Made-up change"}})
	if err != nil || len(imported) != n {
		t.Fatalf("%d imported tasks (%v)", len(imported), err)
	}
	first, last := imported[0].ID, imported[0].ID
	for _, task := range imported {
		first, last = min(first, task.ID), max(last, task.ID)
	}
	between := 0
	for _, a := range answers {
		if a.id > first && a.id < last {
			between++
		}
	}
	t.Logf("the import's tasks are #%d-#%d; %d of the %d commands' tasks are among them", first, last, between, len(answers))
	if between == 0 {
		t.Errorf("no command's task was stored while the import was storing its own (#%d-#%d): the import held the lock throughout", first, last)
	}
}

var addedRE = regexp.MustCompile(`Added #(\d+)`)

// TestImportDryRunTakesNoWriteLock: while another process holds the
// database's write lock (as serve does while it writes, or a real import
// while it stores a chunk), a dry run still reads the file, checks every
// ticket against the desk and says what it would do: it only reads.
func TestImportDryRunTakesNoWriteLock(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "locked.db")
	env := map[string]string{"UPGRADEBOT_DB": dbPath}
	if code, out, stderr := runMain(t, env, "", "exec", "add Already here"); code != 0 {
		t.Fatalf("exec: exit %d\n%s%s", code, out, stderr)
	}
	csv := filepath.Join(dir, "tickets.csv")
	bigExport(t, csv, 3000, 0)

	other, err := sql.Open("sqlite", "file:"+dbPath+"?_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	locked, err := other.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer locked.Rollback()
	if _, err := locked.Exec(`UPDATE settings SET value = value`); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	code, out, stderr := runMain(t, env, "", "import", "-dry-run", csv)
	if code != 0 || !strings.Contains(out, "Dry run: would import 3000 new tasks") {
		t.Fatalf("dry run while the write lock is held: exit %d after %v\n%s%s", code, time.Since(start), out, stderr)
	}
	t.Logf("dry run of 3,000 tickets with the write lock held elsewhere: %v", time.Since(start).Round(time.Millisecond))
}

// TestImportTooLarge: a file over the import's 20 MB is refused unread,
// saying what to do instead.
func TestImportTooLarge(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "huge.csv")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(maxImportBytes + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	env := map[string]string{"UPGRADEBOT_DB": filepath.Join(dir, "desk.db")}
	for _, args := range [][]string{{"import", big}, {"import", "-dry-run", big}} {
		code, out, stderr := runMain(t, env, "", args...)
		if code != 1 || !strings.Contains(stderr, "huge.csv is larger than the 20 MB one import reads; split it") {
			t.Errorf("%q: exit %d\n%s%s", args, code, out, stderr)
		}
	}
}
