package slack_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

// slackAPI is a fake of Slack's Web API on an httptest server: it speaks the
// same JSON, records every call, and answers from a script where a test
// wants a failure (a 429, a 500, an error like channel_not_found).
// It also serves response_url endpoints under /response/.
type slackAPI struct {
	*httptest.Server
	t *testing.T

	mu        sync.Mutex
	calls     []apiCall
	scripts   map[string][]reply // per method, used first-in first-out
	ts        int
	responses []apiCall // posts to response_url
	files     int       // file ids handed out by files.getUploadURLExternal
	uploads   []upload  // files sent to an upload_url
}

// upload is a file sent to an upload_url the fake handed out.
type upload struct {
	FileID   string // the last part of the upload_url
	Filename string
	Data     []byte
}

// apiCall is one request the fake received.
type apiCall struct {
	Method string
	Form   url.Values     // form-encoded calls
	JSON   map[string]any // JSON calls
	Token  string         // from the Authorization header or the token field
	TS     string         // chat.postMessage, chat.update: the ts the fake answered with
}

// Param returns a form value, or a top-level JSON value as text.
func (c apiCall) Param(k string) string {
	if v := c.Form.Get(k); v != "" {
		return v
	}
	switch v := c.JSON[k].(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// reply is a scripted answer.
type reply struct {
	status int
	header map[string]string
	body   string
}

func newSlackAPI(t *testing.T) *slackAPI {
	a := &slackAPI{t: t, scripts: map[string][]reply{}}
	a.Server = httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(a.Close)
	return a
}

// APIURL is the base URL for slack.OptionAPIURL (what SLACK_API_URL holds).
func (a *slackAPI) APIURL() string { return a.URL + "/api/" }

// ResponseURL is a response_url the fake accepts.
func (a *slackAPI) ResponseURL() string { return a.URL + "/response/1" }

// Client returns a slack-go client talking to the fake, with a timeout.
func (a *slackAPI) Client() *slack.Client {
	return slack.New("xoxb-test-token", slack.OptionAPIURL(a.APIURL()),
		slack.OptionHTTPClient(&http.Client{Timeout: 5 * time.Second}))
}

// Script makes the next call to method answer with status, headers and body
// instead of the default success.
func (a *slackAPI) Script(method string, status int, header map[string]string, body string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.scripts[method] = append(a.scripts[method], reply{status, header, body})
}

// ScriptError makes the next call to method answer ok:false with err.
func (a *slackAPI) ScriptError(method, err string) {
	a.Script(method, http.StatusOK, nil, fmt.Sprintf(`{"ok":false,"error":%q}`, err))
}

// Calls returns the calls made to method ("" for all), in order.
func (a *slackAPI) Calls(method string) []apiCall {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []apiCall
	for _, c := range a.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Uploads returns the files sent to upload URLs, in order.
func (a *slackAPI) Uploads() []upload {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]upload(nil), a.uploads...)
}

// Responses returns what was posted to response_url.
func (a *slackAPI) Responses() []apiCall {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]apiCall(nil), a.responses...)
}

func (a *slackAPI) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	call := apiCall{Token: strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")}
	if strings.HasPrefix(r.URL.Path, "/upload/") {
		a.serveUpload(w, r, call, body)
		return
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") && len(body) > 0 {
		if err := json.Unmarshal(body, &call.JSON); err != nil {
			http.Error(w, "bad json: "+err.Error(), http.StatusBadRequest)
			return
		}
	} else {
		call.Form, _ = url.ParseQuery(string(body))
		if tok := call.Form.Get("token"); tok != "" {
			call.Token = tok
		}
	}
	if strings.HasPrefix(r.URL.Path, "/response/") {
		call.Method = "response_url"
		a.mu.Lock()
		a.responses = append(a.responses, call)
		a.mu.Unlock()
		w.Write([]byte("ok"))
		return
	}
	call.Method = strings.TrimPrefix(r.URL.Path, "/api/")
	a.mu.Lock()
	a.calls = append(a.calls, call)
	var scripted *reply
	if q := a.scripts[call.Method]; len(q) > 0 {
		scripted, a.scripts[call.Method] = &q[0], q[1:]
	}
	a.ts++
	ts := fmt.Sprintf("1764147600.%06d", a.ts)
	if scripted == nil && (call.Method == "chat.postMessage" || call.Method == "chat.update") {
		call.TS = ts
		if call.Method == "chat.update" {
			call.TS = call.Param("ts")
		}
		a.calls[len(a.calls)-1] = call
	}
	a.mu.Unlock()

	if scripted != nil {
		for k, v := range scripted.header {
			w.Header().Set(k, v)
		}
		if scripted.status != http.StatusOK {
			w.WriteHeader(scripted.status)
			w.Write([]byte(scripted.body))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(scripted.body))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	var resp any
	switch call.Method {
	case "conversations.open":
		resp = map[string]any{"ok": true, "channel": map[string]any{"id": "D" + strings.TrimPrefix(call.Param("users"), "U")}}
	case "chat.postMessage":
		resp = map[string]any{"ok": true, "channel": call.Param("channel"), "ts": ts}
	case "chat.update":
		resp = map[string]any{"ok": true, "channel": call.Param("channel"), "ts": call.Param("ts")}
	case "chat.postEphemeral":
		resp = map[string]any{"ok": true, "message_ts": ts}
	case "views.open", "views.publish", "views.update", "views.push":
		resp = map[string]any{"ok": true, "view": map[string]any{"id": "V" + ts}}
	case "files.getUploadURLExternal":
		a.mu.Lock()
		a.files++
		id := fmt.Sprintf("F%07d", a.files)
		a.mu.Unlock()
		resp = map[string]any{"ok": true, "upload_url": a.URL + "/upload/v1/" + id, "file_id": id}
	case "files.completeUploadExternal":
		var files []map[string]any
		if err := json.Unmarshal([]byte(call.Param("files")), &files); err != nil {
			resp = map[string]any{"ok": false, "error": "invalid_arguments"}
			break
		}
		resp = map[string]any{"ok": true, "files": files}
	case "auth.test":
		resp = map[string]any{"ok": true, "user_id": "U0BOT", "team_id": "T0TEAM", "user": "upgradebot"}
	default:
		resp = map[string]any{"ok": false, "error": "unknown_method"}
	}
	json.NewEncoder(w).Encode(resp)
}

// serveUpload takes a file sent to an upload_url (a multipart form with the
// file in field "file", as slack-go sends it), records it as a call named
// "upload" and keeps its bytes. A script for "upload" answers instead.
func (a *slackAPI) serveUpload(w http.ResponseWriter, r *http.Request, call apiCall, body []byte) {
	call.Method = "upload"
	a.mu.Lock()
	a.calls = append(a.calls, call)
	var scripted *reply
	if q := a.scripts[call.Method]; len(q) > 0 {
		scripted, a.scripts[call.Method] = &q[0], q[1:]
	}
	a.mu.Unlock()
	if scripted != nil {
		w.WriteHeader(scripted.status)
		w.Write([]byte(scripted.body))
		return
	}
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		http.Error(w, "not multipart: "+err.Error(), http.StatusBadRequest)
		return
	}
	form, err := multipart.NewReader(bytes.NewReader(body), params["boundary"]).ReadForm(10 << 20)
	if err != nil || len(form.File["file"]) != 1 {
		http.Error(w, fmt.Sprintf("want one file in field file: %v", err), http.StatusBadRequest)
		return
	}
	fh := form.File["file"][0]
	f, err := fh.Open()
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	a.mu.Lock()
	a.uploads = append(a.uploads, upload{FileID: path.Base(r.URL.Path), Filename: fh.Filename, Data: data})
	a.mu.Unlock()
	fmt.Fprintf(w, "OK - %d", len(data))
}
