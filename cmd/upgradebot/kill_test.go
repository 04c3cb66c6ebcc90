package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	slackapp "github.com/upgradebot/upgradebot/slack"
	"github.com/upgradebot/upgradebot/store"
)

// TestMain lets the test binary run as the upgradebot program, so that tests
// can start, kill and restart real processes without building anything.
func TestMain(m *testing.M) {
	if os.Getenv("UPGRADEBOT_TEST_RUN_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// fakeSlack is the fake Slack Web API the tests that start processes
// share. It answers what the bot calls; it records each accepted
// chat.postMessage by the task title it names (titleRE) and, with the
// weekly chart's upload, each post's channel, arrival and text. Each post
// takes a few milliseconds, as Slack's do. While failing is set it answers
// everything but auth.test with a 503. While held (hold, release), posts
// wait in the handler; a post whose caller is gone when it is let go (its
// process was killed) is not accepted, as Slack does not post what a
// dropped request asked for before it read it.
type fakeSlack struct {
	*httptest.Server
	titleRE  *regexp.Regexp
	failing  atomic.Bool
	held     chan struct{} // closed: posts go through
	holdMu   sync.Mutex
	mu       sync.Mutex
	posts    map[string]int         // task title → accepted posts
	at       map[string][]time.Time // channel → when each accepted post arrived
	texts    []string               // "channel text" of each accepted post
	accepted atomic.Int64
	dropped  atomic.Int64 // posts whose caller went away while held
	ts       int
}

var killTitleRE = regexp.MustCompile(`Kill task \d{3}`)

func newFakeSlack(t *testing.T, titleRE *regexp.Regexp) *fakeSlack {
	k := &fakeSlack{titleRE: titleRE, posts: map[string]int{}, at: map[string][]time.Time{}, held: make(chan struct{})}
	close(k.held)
	k.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		method := strings.TrimPrefix(r.URL.Path, "/api/")
		if method != "auth.test" && k.failing.Load() {
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		switch method {
		case "auth.test":
			fmt.Fprint(w, `{"ok":true,"user_id":"U0BOT","team_id":"T0TEAM"}`)
		case "conversations.open":
			fmt.Fprintf(w, `{"ok":true,"channel":{"id":"D%s"}}`, strings.TrimPrefix(form.Get("users"), "U"))
		case "files.getUploadURLExternal":
			fmt.Fprintf(w, `{"ok":true,"upload_url":"http://%s/upload","file_id":"F0CHART"}`, r.Host)
		case "files.completeUploadExternal":
			k.record(form.Get("channel_id"), form.Get("initial_comment"), time.Now())
			fmt.Fprint(w, `{"ok":true,"files":[{"id":"F0CHART","title":"chart"}]}`)
		case "chat.postMessage":
			arrived := time.Now() // when the bot sent it: what pacing is about
			time.Sleep(3 * time.Millisecond)
			k.holdMu.Lock()
			held := k.held
			k.holdMu.Unlock()
			<-held
			if r.Context().Err() != nil {
				k.dropped.Add(1)
				return
			}
			ch := form.Get("channel")
			ts := k.record(ch, form.Get("text"), arrived)
			k.accepted.Add(1)
			fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":%q}`, ch, ts)
		default:
			fmt.Fprint(w, `{"ok":true}`)
		}
	}))
	t.Cleanup(k.Close)
	return k
}

// record records an accepted post and returns its ts.
func (k *fakeSlack) record(ch, text string, arrived time.Time) string {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.ts++
	if k.titleRE != nil {
		k.posts[k.titleRE.FindString(text)]++
	}
	k.at[ch] = append(k.at[ch], arrived)
	k.texts = append(k.texts, ch+" "+text)
	return fmt.Sprintf("1764147600.%06d", k.ts)
}

// postsOf returns the accepted posts ("channel text") whose text has s.
func (k *fakeSlack) postsOf(s string) []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	var out []string
	for _, p := range k.texts {
		if _, text, _ := strings.Cut(p, " "); strings.Contains(text, s) {
			out = append(out, p)
		}
	}
	return out
}

// hold makes posts wait until release.
func (k *fakeSlack) hold() {
	k.holdMu.Lock()
	k.held = make(chan struct{})
	k.holdMu.Unlock()
}

func (k *fakeSlack) release() {
	k.holdMu.Lock()
	close(k.held)
	k.holdMu.Unlock()
}

// waitDrained waits until the serve process at addr reports no message
// pending in the outbox, or fails the test after timeout.
func waitDrained(t *testing.T, client *http.Client, addr string, timeout time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(timeout); ; time.Sleep(100 * time.Millisecond) {
		resp, err := client.Get("http://" + addr + "/metrics")
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if strings.Contains(string(b), `upgradebot_outbox_messages{status="pending"} 0`) {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("the outbox did not drain")
		}
	}
}

// startServe starts `upgradebot serve` as a child process and returns it
// with the address it listens on.
func startServe(t *testing.T, env []string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "serve")
	cmd.Env = append(os.Environ(), append(env, "UPGRADEBOT_TEST_RUN_MAIN=1")...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := regexp.MustCompile(`msg="upgradebot serving".* addr=(\S+)`).FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	select {
	case a := <-addr:
		return cmd, a
	case <-time.After(30 * time.Second):
		t.Fatal("upgradebot serve did not start")
	}
	return nil, ""
}

// triggers numbers the commands signedCommand sends: each is a new request
// with a trigger_id of its own, as Slack sends them (the bot runs each
// trigger_id once).
var triggers atomic.Int64

// signedCommand posts a signed /upgrade command and returns the status and body.
func signedCommand(client *http.Client, addr, secret, user, text string) (int, string, error) {
	form := url.Values{"command": {"/upgrade"}, "text": {text}, "user_id": {user}, "user_name": {"sender"},
		"team_id": {"T0TEAM"}, "channel_id": {"C0TEAM"}, "response_url": {"http://127.0.0.1:9/response"},
		"trigger_id": {fmt.Sprintf("1.2.%d", triggers.Add(1))}}
	return postSigned(client, addr, secret, form)
}

// postSigned posts a slash command's form, signed, and returns the status
// and body.
func postSigned(client *http.Client, addr, secret string, form url.Values) (int, string, error) {
	body := form.Encode()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/slack/commands", strings.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(slackapp.HeaderTimestamp, ts)
	req.Header.Set(slackapp.HeaderSignature, slackapp.SignatureFor(secret, ts, []byte(body)))
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// TestKillDuringCommands kills the server with SIGKILL while 200 signed add
// commands are arriving, then restarts it: every command that was answered
// 200 is in the store, and every message waiting in the outbox is delivered
// exactly once.
func TestKillDuringCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	const secret = "kill-test-signing-secret"
	slackAPI := newFakeSlack(t, killTitleRE)
	slackAPI.failing.Store(true)
	dbPath := filepath.Join(t.TempDir(), "kill.db")
	env := []string{
		"SLACK_BOT_TOKEN=xoxb-kill-test", "SLACK_SIGNING_SECRET=" + secret, "SLACK_APP_TOKEN=",
		"SLACK_API_URL=" + slackAPI.URL + "/api/", "UPGRADEBOT_DB=" + dbPath,
		"UPGRADEBOT_ADDR=127.0.0.1:0", "UPGRADEBOT_SEND_INTERVAL=0", "UPGRADEBOT_TZ=America/Chicago",
	}
	child, addr := startServe(t, env)

	const n = 200
	client := &http.Client{Timeout: 10 * time.Second}
	var answered atomic.Int32
	ok := make([]bool, n)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for i := range jobs {
				code, body, err := signedCommand(client, addr, secret, "U0SENDER",
					fmt.Sprintf("add Kill task %03d <@U0K%03d> due:+1w", i, i))
				if err == nil && code == http.StatusOK && strings.Contains(body, "Added") {
					ok[i] = true
				}
				if answered.Add(1) == n/2 {
					child.Process.Signal(syscall.SIGKILL)
				}
			}
		})
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	child.Wait()
	var acked int
	for _, o := range ok {
		if o {
			acked++
		}
	}
	if acked == 0 || acked == n {
		t.Fatalf("%d of %d commands answered 200: the kill did not land mid-run", acked, n)
	}
	t.Logf("%d of %d commands answered 200 before the kill", acked, n)

	// Restart with Slack answering: the outbox drains.
	slackAPI.failing.Store(false)
	child, addr = startServe(t, env)
	waitDrained(t, client, addr, 60*time.Second)
	child.Process.Signal(syscall.SIGTERM)
	if err := child.Wait(); err != nil {
		t.Fatalf("serve after SIGTERM: %v", err)
	}

	db, err := store.Open(context.Background(), dbPath, upgradebot.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tasks, _, err := db.FindTasks(context.Background(), upgradebot.TaskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	for _, tk := range tasks {
		if stored[tk.Title] {
			t.Errorf("%s stored twice", tk.Title)
		}
		stored[tk.Title] = true
	}
	for i, o := range ok {
		if title := fmt.Sprintf("Kill task %03d", i); o && !stored[title] {
			t.Errorf("%s was answered 200 but is not in the store", title)
		}
	}
	slackAPI.mu.Lock()
	defer slackAPI.mu.Unlock()
	for title := range stored {
		if got := slackAPI.posts[title]; got != 1 {
			t.Errorf("%s: its DM was posted %d times, want once", title, got)
		}
	}
	counts, err := db.CountMessages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if counts[upgradebot.MessagePending] != 0 || counts[upgradebot.MessageFailed] != 0 {
		t.Errorf("outbox after the drain: %v", counts)
	}
}
