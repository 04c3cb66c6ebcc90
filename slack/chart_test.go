package slack_test

import (
	"bytes"
	"encoding/json"
	"image/png"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
)

const chartComment = "Weekly chart: open work and releases behind, last 12 weeks"

// queueChart adds some open work and a release behind, then queues the
// weekly chart post on Monday 30 November 2026, 08:00 in Chicago, and
// returns its id.
func (e *delivery) queueChart() int64 {
	e.t.Helper()
	e.do(admin, "add Read the release notes <@U0ALICE>")
	e.do(admin, "add Build the test plan <@U0BOB>")
	e.do(admin, "release add MedCore 2026.3 ga:2026-08-20")
	for len(e.pending()) > 0 { // the "assigned you" DMs
		e.deliver()
		e.clock.Advance(time.Second)
	}
	e.clock.Set(time.Date(2026, 11, 30, 8, 0, 0, 0, start.Location()))
	e.queue(upgradebot.WeeklyChartMessage(teamCh))
	msgs := e.pending()
	if len(msgs) != 1 || msgs[0].Attach != upgradebot.AttachChart {
		e.t.Fatalf("pending after queueing the chart: %+v", msgs)
	}
	e.api.mu.Lock()
	e.api.calls = nil // only the chart's calls from here on
	e.api.mu.Unlock()
	return msgs[0].ID
}

// wantOneChart checks that exactly one upload was completed, in the team
// channel with the comment, and that its file is the chart as a PNG.
func (e *delivery) wantOneChart() (upload, apiCall) {
	e.t.Helper()
	done := e.api.Calls("files.completeUploadExternal")
	ups := e.api.Uploads()
	if len(done) == 0 || len(ups) == 0 {
		e.t.Fatalf("calls: %s; uploads: %d", calls(e.api), len(ups))
	}
	c := done[len(done)-1]
	var files []struct{ ID, Title string }
	if err := json.Unmarshal([]byte(c.Param("files")), &files); err != nil || len(files) != 1 {
		e.t.Fatalf("files.completeUploadExternal files=%q: %v", c.Param("files"), err)
	}
	var up upload
	for _, u := range ups {
		if u.FileID == files[0].ID {
			up = u
		}
	}
	if up.Data == nil {
		e.t.Fatalf("completed file %s was never uploaded (uploads: %v)", files[0].ID, ups)
	}
	if c.Param("channel_id") != teamCh || c.Param("initial_comment") != chartComment {
		e.t.Errorf("completed in %q with comment %q; want %s and %q", c.Param("channel_id"), c.Param("initial_comment"), teamCh, chartComment)
	}
	if want := "Open work and releases behind, weeks by Monday, as of Mon 30 Nov 2026"; files[0].Title != want {
		e.t.Errorf("file title %q, want %q", files[0].Title, want)
	}
	img, err := png.Decode(bytes.NewReader(up.Data))
	if err != nil {
		e.t.Fatalf("the upload is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 640 || b.Dy() != 640 {
		e.t.Errorf("chart is %dx%d, want 640x640", b.Dx(), b.Dy())
	}
	return up, c
}

func TestDeliverChart(t *testing.T) {
	e := newDelivery(t)
	id := e.queueChart()
	e.clock.Advance(time.Hour) // drawn for the weeks to its CreatedAt, whenever it goes
	if n := e.deliver(); n != 1 {
		t.Fatalf("delivered %d, want the chart; calls: %s", n, calls(e.api))
	}
	var methods []string
	for _, c := range e.api.Calls("") {
		methods = append(methods, c.Method)
	}
	if got := strings.Join(methods, " "); got != "files.getUploadURLExternal upload files.completeUploadExternal" {
		t.Fatalf("calls %q, want the three steps of files.uploadV2 and no chat.postMessage", got)
	}
	get := e.api.Calls("files.getUploadURLExternal")[0]
	up, _ := e.wantOneChart()
	if get.Param("filename") != "upgradebot-chart-2026-11-30.png" || up.Filename != "upgradebot-chart-2026-11-30.png" {
		t.Errorf("file named %q, uploaded as %q", get.Param("filename"), up.Filename)
	}
	if get.Param("length") != strconv.Itoa(len(up.Data)) {
		t.Errorf("length %q, uploaded %d bytes", get.Param("length"), len(up.Data))
	}
	if alt := get.Param("alt_txt"); !strings.Contains(alt, "12 weeks by Monday from Mon 14 Sep 2026 to Mon 30 Nov 2026, as of Mon 30 Nov 2026") ||
		!strings.Contains(alt, "Top panel, bars: open tasks at the end of each week, 0 then, 2 now.") ||
		!strings.Contains(alt, "Bottom panel, a line per vendor, releases out but not live: MedCore 1 then, 1 now.") {
		t.Errorf("alt_txt %q; want the weeks, both panels, the open tasks now (2) and MedCore's releases behind now (1)", alt)
	}
	if get.Token != "xoxb-test-token" {
		t.Errorf("token %q", get.Token)
	}
	m := e.wantStatus(id, upgradebot.MessageSent, "")
	if m.SlackChannel != teamCh || m.SlackTS != up.FileID {
		t.Errorf("recorded channel %q ts %q; want %s and the file id %s", m.SlackChannel, m.SlackTS, teamCh, up.FileID)
	}
	if !strings.Contains(e.metrics(), `upgradebot_deliveries_total{kind="post"} 1`) {
		t.Errorf("metrics:\n%s", e.metrics())
	}
	if n := e.deliver(); n != 0 || len(e.api.Calls("")) != 3 {
		t.Errorf("a second pass delivered %d and called %s", n, calls(e.api))
	}
}

// TestDeliverChartRetry: a 500 on files.completeUploadExternal leaves the
// message pending; the retry starts over with a new file and completes
// once. The file uploaded first is never completed, so never shared.
func TestDeliverChartRetry(t *testing.T) {
	e := newDelivery(t)
	id := e.queueChart()
	e.api.Script("files.completeUploadExternal", http.StatusInternalServerError, nil, "<html>oops</html>")
	if n := e.deliver(); n != 0 {
		t.Fatalf("delivered %d", n)
	}
	if m := e.wantStatus(id, upgradebot.MessagePending, "files.completeUploadExternal"); m.Attempts != 1 || !strings.Contains(m.LastError, "500") {
		t.Errorf("after a 500: attempts %d, last error %q", m.Attempts, m.LastError)
	}
	e.clock.Advance(2 * time.Second)
	if n := e.deliver(); n != 1 {
		t.Fatalf("delivered %d after the backoff; calls %s", n, calls(e.api))
	}
	if n := len(e.api.Calls("files.getUploadURLExternal")); n != 2 {
		t.Errorf("files.getUploadURLExternal called %d times, want 2 (the retry starts over)", n)
	}
	ups := e.api.Uploads()
	if len(ups) != 2 || ups[0].FileID == ups[1].FileID {
		t.Fatalf("uploads %d; want two, each its own file", len(ups))
	}
	up, _ := e.wantOneChart()
	if up.FileID != ups[1].FileID || !bytes.Equal(ups[0].Data, ups[1].Data) {
		t.Errorf("completed %s, want the retry's file %s, the same chart both times", up.FileID, ups[1].FileID)
	}
	var completes []string
	for _, c := range e.api.Calls("files.completeUploadExternal") {
		var files []struct{ ID string }
		json.Unmarshal([]byte(c.Param("files")), &files)
		for _, f := range files {
			completes = append(completes, f.ID)
		}
	}
	if want := []string{ups[0].FileID, ups[1].FileID}; !slices.Equal(completes, want) {
		t.Errorf("files.completeUploadExternal for %q, want %q: the 500, then the retry's file only", completes, want)
	}
	if m := e.wantStatus(id, upgradebot.MessageSent, ""); m.SlackTS != ups[1].FileID {
		t.Errorf("recorded file %q, want %s", m.SlackTS, ups[1].FileID)
	}
}

// TestDeliverChartRateLimited: a 429 on files.getUploadURLExternal pauses
// every delivery for Retry-After, as on any other call.
func TestDeliverChartRateLimited(t *testing.T) {
	e := newDelivery(t)
	id := e.queueChart()
	e.do(admin, "add Another thing <@U0ALICE>")
	e.api.Script("files.getUploadURLExternal", http.StatusTooManyRequests, map[string]string{"Retry-After": "3"}, "")
	if n := e.deliver(); n != 0 {
		t.Fatalf("delivered %d while rate limited", n)
	}
	if m := e.wantStatus(id, upgradebot.MessagePending, "rate limit"); !m.NextTry.Equal(e.clock.Now().Add(3 * time.Second)) {
		t.Errorf("next try %v, want Retry-After (3s) from now %v", m.NextTry, e.clock.Now())
	}
	if got := calls(e.api); got != "files.getUploadURLExternal " {
		t.Errorf("calls %q: nothing else may go out during the pause", got)
	}
	e.clock.Advance(2 * time.Second)
	if n := e.deliver(); n != 0 || len(e.api.Calls("")) != 1 {
		t.Fatalf("inside Retry-After: delivered %d, calls %s", n, calls(e.api))
	}
	e.clock.Advance(time.Second)
	if n := e.deliver(); n != 2 {
		t.Fatalf("delivered %d after Retry-After, want the chart and the DM; calls %s", n, calls(e.api))
	}
	e.wantOneChart()
	e.wantStatus(id, upgradebot.MessageSent, "")
	if !strings.Contains(e.metrics(), `upgradebot_delivery_retries_total{kind="post"} 1`) {
		t.Errorf("metrics:\n%s", e.metrics())
	}
}

// TestDeliverChartNotInChannel: Slack refusing to share the file in the
// channel fails the message for good.
func TestDeliverChartNotInChannel(t *testing.T) {
	e := newDelivery(t)
	id := e.queueChart()
	e.api.ScriptError("files.completeUploadExternal", "not_in_channel")
	e.deliver()
	e.wantStatus(id, upgradebot.MessageFailed, "not_in_channel")
	e.clock.Advance(time.Hour)
	e.deliver()
	if n := len(e.api.Calls("files.getUploadURLExternal")); n != 1 {
		t.Errorf("tried %d times, want 1", n)
	}
}

// TestConsoleChart: the console draws the chart (and writes it nowhere)
// and shows its name and size with the post.
func TestConsoleChart(t *testing.T) {
	e := newDelivery(t)
	e.queueChart()
	var out bytes.Buffer
	c := &bot.Console{Bot: e.b, User: admin, Out: &out}
	if n, err := c.Deliver(t.Context()); err != nil || n != 1 {
		t.Fatalf("Deliver = %d, %v", n, err)
	}
	want := "[#C0TEAM chart: upgradebot-chart-2026-11-30.png, 640×640 PNG] " + chartComment + "\n"
	if out.String() != want {
		t.Errorf("console:\n%s\nwant\n%s", out.String(), want)
	}
}

// TestDeliverChartForeignUploadURL: slack-go will not send the token to an
// upload URL that is neither Slack's nor the API's host; that fails the
// message for good, and the URL stays out of the outbox and the logs.
func TestDeliverChartForeignUploadURL(t *testing.T) {
	e := newDelivery(t)
	id := e.queueChart()
	e.api.Script("files.getUploadURLExternal", http.StatusOK, nil,
		`{"ok":true,"upload_url":"http://uploads.example.net/v1/SeCrEt","file_id":"F0FOREIGN"}`)
	e.deliver()
	m := e.wantStatus(id, upgradebot.MessageFailed, "the upload URL")
	if strings.Contains(m.LastError, "SeCrEt") || strings.Contains(e.logs.String(), "SeCrEt") {
		t.Errorf("the upload URL leaked: %q\n%s", m.LastError, e.logs)
	}
	if n := len(e.api.Calls("files.completeUploadExternal")); n != 0 {
		t.Errorf("files.completeUploadExternal called %d times", n)
	}
}
