package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
	slackapp "github.com/upgradebot/upgradebot/slack"
)

// TestManifests keeps the Slack app manifests in step with the code: the
// request URLs are routes the server has, the command escapes mentions, the
// event the bot handles is subscribed, and the scopes are the least needed.
func TestManifests(t *testing.T) {
	srv := &slackapp.Server{App: &slackapp.App{Bot: &bot.Bot{Clock: upgradebot.SystemClock{}}}, SigningSecret: "s"}
	for _, path := range []string{"../../deploy/slack-app-manifest.yaml", "../../deploy/slack-app-manifest-http.yaml"} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		m := string(b)
		for _, want := range []string{"command: /upgrade", "should_escape: true", "home_tab_enabled: true",
			"- app_home_opened", "is_enabled: true", "- commands ", "- chat:write ", "- im:write ", "- files:write "} {
			if !strings.Contains(m, want) {
				t.Errorf("%s lacks %q", path, want)
			}
		}
		_, botScopes, _ := strings.Cut(m, "    bot:\n")
		botScopes, _, _ = strings.Cut(botScopes, "settings:")
		scopes := regexp.MustCompile(`(?m)^      - ([a-z:.]+)`).FindAllStringSubmatch(botScopes, -1)
		if len(scopes) != 4 {
			t.Errorf("%s asks for %d bot scopes, want exactly commands, chat:write, im:write, files:write", path, len(scopes))
		}
		socket := strings.Contains(m, "socket_mode_enabled: true")
		urls := regexp.MustCompile(`https://upgradebot\.example\.org(/\S+)`).FindAllStringSubmatch(m, -1)
		if socket != (len(urls) == 0) {
			t.Errorf("%s: socket mode %v with %d request URLs", path, socket, len(urls))
		}
		for _, u := range urls {
			// An unsigned POST to a real route is refused with 401, not 404.
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, u[1], strings.NewReader("")))
			if rec.Code != http.StatusUnauthorized {
				t.Errorf("%s: POST %s answered %d, want 401 (a route that checks signatures)", path, u[1], rec.Code)
			}
		}
	}
}
