package store

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/store/storetest"
)

// killChildEnv names the database file the child of TestGroupCommitKill
// writes to.
const killChildEnv = "UPGRADEBOT_STORE_KILL_CHILD"

// TestGroupCommitKill kills a process with SIGKILL while 16 goroutines of
// it write as fast as they can, their writes gathered into shared
// transactions, some of them refused after writing part of their change.
// The child says each write's answer as soon as it has it; every write it
// answered done is in the file after the kill, with its audit row and its
// DM, exactly once, and no refused one left anything.
func TestGroupCommitKill(t *testing.T) {
	if path := os.Getenv(killChildEnv); path != "" {
		killChild(path)
		return
	}
	if testing.Short() {
		t.Skip("starts a process")
	}
	path := filepath.Join(t.TempDir(), "kill.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestGroupCommitKill$")
	cmd.Env = append(os.Environ(), killChildEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })

	acked := map[string]bool{}   // titles answered done
	refused := map[string]bool{} // titles of refused bulk adds
	var commits, writes int64
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		kind, rest, _ := strings.Cut(sc.Text(), " ")
		switch kind {
		case "ok":
			acked[rest] = true
		case "refused":
			refused[rest] = true
		case "stats":
			f := strings.Fields(rest)
			commits, _ = strconv.ParseInt(f[0], 10, 64)
			writes, _ = strconv.ParseInt(f[1], 10, 64)
		}
		if len(acked) == 1000 {
			cmd.Process.Signal(syscall.SIGKILL)
			break
		}
	}
	cmd.Wait()
	t.Logf("killed after %d writes answered done (%d refused); before the kill %d writes had been committed in %d commits",
		len(acked), len(refused), writes, commits)
	if len(acked) < 1000 {
		t.Fatalf("the child stopped after %d writes", len(acked))
	}
	if writes <= commits {
		t.Fatalf("%d writes in %d commits: the writes were not gathered, so this tests nothing", writes, commits)
	}

	db := mustOpenPath(t, path, nil)
	ctx := t.Context()
	count := func(query string, args ...any) int {
		t.Helper()
		var n int
		if err := db.db.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for title := range acked {
		if n := count(`SELECT COUNT(*) FROM tasks WHERE title = ?`, title); n != 1 {
			t.Errorf("%q was answered done; the file has %d of it", title, n)
			continue
		}
		if n := count(`SELECT COUNT(*) FROM audit WHERE action = 'task.add' AND entity_id = (SELECT id FROM tasks WHERE title = ?)`, title); n != 1 {
			t.Errorf("%q has %d task.add rows, want 1", title, n)
		}
		if n := count(`SELECT COUNT(*) FROM outbox WHERE kind = 'dm' AND (text LIKE ? OR text LIKE ?)`, "% "+title, "% "+title+" ·%"); n != 1 {
			t.Errorf("%q has %d DMs, want 1", title, n)
		}
	}
	for title := range refused {
		if n := count(`SELECT COUNT(*) FROM tasks WHERE title LIKE ?`, title+"%"); n != 0 {
			t.Errorf("the refused %q left %d tasks", title, n)
		}
	}
	// Whatever was committed but not yet answered when the kill came is
	// there whole too: a task, its audit row and its DM each.
	tasks, audits, dms := count(`SELECT COUNT(*) FROM tasks`), count(`SELECT COUNT(*) FROM audit WHERE action = 'task.add'`), count(`SELECT COUNT(*) FROM outbox WHERE kind = 'dm'`)
	if tasks != audits || tasks != dms || tasks < len(acked) {
		t.Errorf("%d tasks, %d task.add rows, %d DMs; want the same, at least %d", tasks, audits, dms, len(acked))
	}
}

// killChild writes until it is killed: 16 goroutines, each adding tasks
// and every fifth time a bulk add refused at its last task, printing each
// answer on stdout as it comes, and the commit counts every 10 writes.
func killChild(path string) {
	ctx := context.Background()
	db, err := Open(ctx, path, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if err := db.Bootstrap(ctx, storetest.Channel, storetest.TimeZone, []string{storetest.Admin}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var mu sync.Mutex
	say := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(os.Stdout, format+"\n", args...) // unbuffered: out before the next write
	}
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := 0; ; i++ {
				title := fmt.Sprintf("Kill %02d-%05d", g, i)
				if i%5 == 4 {
					err := db.CreateTasks(ctx, storetest.Bob, []*upgradebot.Task{{Title: title + " a"}, {Title: title + " b"}, {Title: ""}})
					if err == nil {
						fmt.Fprintln(os.Stderr, "a bad bulk add succeeded")
						os.Exit(2)
					}
					say("refused %s", title)
					continue
				}
				if err := db.CreateTask(ctx, storetest.Bob, &upgradebot.Task{Title: title, Assignee: storetest.Alice}); err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(2)
				}
				say("ok %s", title)
				if i%10 == 0 {
					say("stats %d %d", db.commits.Load(), db.committed.Load())
				}
			}
		})
	}
	wg.Wait()
	time.Sleep(time.Hour)
}
