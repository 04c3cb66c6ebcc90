package slack_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/upgradebot/upgradebot"
)

func TestCalendarFeed(t *testing.T) {
	e := newSlackEnv(t, nil)
	const token = "0123456789abcdef0123456789abcdef"
	e.srv.CalendarToken = token
	ga := upgradebot.DateOf(start).AddDays(30)
	if err := e.db.CreateRelease(t.Context(), "U0DANA", &upgradebot.Release{Vendor: "MedCore", Name: "2027.1", GA: ga}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		desc, path string
		code       int
	}{
		{"no token", "/calendar.ics", http.StatusNotFound},
		{"wrong token", "/calendar.ics?token=nope", http.StatusNotFound},
		{"token prefix", "/calendar.ics?token=" + token[:20], http.StatusNotFound},
		{"right token", "/calendar.ics?token=" + token, http.StatusOK},
	} {
		rec := e.get(c.path)
		if rec.Code != c.code {
			t.Errorf("%s: status %d, want %d", c.desc, rec.Code, c.code)
			continue
		}
		if c.code != http.StatusOK {
			continue
		}
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
			t.Errorf("content type %q", ct)
		}
		body := rec.Body.String()
		if !strings.HasPrefix(body, "BEGIN:VCALENDAR\r\n") || !strings.Contains(body, "SUMMARY:MedCore 2027.1 GA\r\n") {
			t.Errorf("feed:\n%s", body)
		}
	}
	// No token configured: no feed, whatever is asked.
	e.srv.CalendarToken = ""
	e2 := newSlackEnv(t, nil)
	if rec := e2.get("/calendar.ics?token="); rec.Code != http.StatusNotFound {
		t.Errorf("feed without a configured token: status %d, want 404", rec.Code)
	}
}
