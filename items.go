package upgradebot

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Item is a task a message (or the App Home) lists with the buttons to act
// on it beside it: Done, Snooze, New date and Open. Its title is shown bold
// and its details side by side, so that a phone shows each task in a few
// lines. A transport renders it; the task's id travels with the buttons.
type Item struct {
	Task int64 `json:"task"`
	// Title is mrkdwn, "#3 Regression-test the lab result interfaces";
	// "" when the text before the item names the task already.
	Title   string   `json:"title,omitempty"`
	Details []string `json:"details,omitempty"` // mrkdwn: "due Fri 27 Nov (*3 days overdue*)", "high priority", …
	// Ref is the task's ticket in another system as it was typed, shown
	// as a link where the team set a ticket URL (SettingRefURL, RefLink).
	Ref string `json:"ref,omitempty"`
	// Closed, once the task is closed, is the line shown instead of its
	// buttons ("✅ Done by <@U…>, 11:52"); Undo then offers to take the
	// change back (see UndoWindow).
	Closed string `json:"closed,omitempty"`
	Undo   bool   `json:"undo,omitempty"`
}

// TaskItem is task t as an item on day today, titled "#id title".
func TaskItem(t *Task, today Date) Item {
	it := Item{Task: t.ID, Title: fmt.Sprintf("#%d %s", t.ID, Escape(t.Title)), Ref: t.Ref}
	if !t.Due.IsZero() {
		d := "due " + t.Due.Relative(today)
		if t.Status == StatusOpen && t.Overdue(today) {
			d += " (*" + Plural(t.Due.DaysUntil(today), "day") + " overdue*)"
		}
		it.Details = append(it.Details, d)
	} else {
		it.Details = append(it.Details, "no due date")
	}
	if t.Priority == PriorityHigh {
		it.Details = append(it.Details, "high priority")
	}
	if t.Kind == KindCleanup {
		it.Details = append(it.Details, "clean-up")
	}
	if t.Release != "" {
		r := "`" + Escape(t.Release) + "`"
		if t.Phase != "" {
			r += " " + string(t.Phase)
		}
		it.Details = append(it.Details, r)
	}
	if t.Estimate > 0 {
		it.Details = append(it.Details, "est "+FormatEffort(t.Estimate))
	}
	return it
}

// untitled is it without its title, for a message whose text names the
// task already ("<@U…> assigned you #11 …").
func untitled(it Item) Item {
	it.Title = ""
	return it
}

// Line is the item as one line of text, for the console and
// notifications: title, details and ref, or the title and its closed line.
func (it Item) Line() string {
	var parts []string
	if it.Title != "" {
		parts = append(parts, it.Title)
	}
	if it.Closed != "" {
		return strings.Join(append(parts, it.Closed), " · ")
	}
	parts = append(parts, it.Details...)
	if it.Ref != "" {
		parts = append(parts, "ref "+Escape(it.Ref))
	}
	return strings.Join(parts, " · ")
}

// RefreshItem is item it as task t now stands, read by viewer at now in
// the team's zone loc: its details again, and for a closed task the line
// that says who closed it and when ("✅ Done by <@U…>, 11:52"), with Undo
// when the viewer did that within UndoWindow.
func RefreshItem(it Item, t *Task, viewer string, now time.Time, loc *time.Location) Item {
	today := Today(now, loc)
	fresh := TaskItem(t, today)
	if it.Title == "" {
		fresh = untitled(fresh)
	}
	switch t.Status {
	case StatusDone:
		fresh.Closed = fmt.Sprintf("✅ Done by %s, %s", Mention(t.ClosedBy), ClockTime(t.ClosedAt, loc, today))
		fresh.Undo = t.ClosedBy == viewer && now.Sub(t.ClosedAt) < UndoWindow
	case StatusCancelled:
		fresh.Closed = fmt.Sprintf("✖️ Cancelled by %s, %s", Mention(t.ClosedBy), ClockTime(t.ClosedAt, loc, today))
	}
	return fresh
}

// RefLink is a task's ticket ref as mrkdwn: a link to template with {ref}
// replaced (SettingRefURL) when one is set, else the ref as text.
func RefLink(ref, template string) string {
	if ref == "" {
		return ""
	}
	if template == "" || !strings.Contains(template, "{ref}") {
		return Escape(ref)
	}
	link := strings.ReplaceAll(template, "{ref}", url.PathEscape(ref))
	return "<" + link + "|" + strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "|", "¦").Replace(ref) + ">"
}

// ValidateRefURL checks a ticket URL template (SettingRefURL): an http(s)
// address with {ref} where the ticket goes, or "" (or "none") for none.
func ValidateRefURL(v string) (string, error) {
	switch strings.ToLower(v) {
	case "", "none", "off":
		return "", nil
	}
	u, err := url.Parse(strings.ReplaceAll(v, "{ref}", "REF"))
	switch {
	case len(v) > 200:
		return "", Errorf(EINVALID, "a ticket URL of %d characters is longer than the 200 allowed", len(v))
	case !strings.Contains(v, "{ref}"):
		return "", Errorf(EINVALID, "the ticket URL needs {ref} where the ticket goes, like https://itsm.example/{ref}")
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(v, " <>|\"\t\n"):
		return "", Errorf(EINVALID, "%q is not an http(s) address like https://itsm.example/{ref}", clipSetting(v))
	}
	return v, nil
}

// PlainName is user as a name that notifies nobody, for posts the team
// reads every day: their display name from names, or their id when the
// desk has never seen it; "nobody" for "".
func PlainName(user string, names map[string]string) string {
	switch {
	case user == "":
		return "nobody"
	case names[user] != "":
		return Escape(names[user])
	}
	return user
}

// ownerName is a task's assignee as PlainName names them, or "unassigned".
func ownerName(user string, names map[string]string) string {
	if user == "" {
		return "unassigned"
	}
	return PlainName(user, names)
}
