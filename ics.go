package upgradebot

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// CalendarName is the calendar feed's name in calendar apps.
const CalendarName = "EHR upgrade desk"

// CalendarHorizon is how far ahead the calendar feed projects the
// occurrences of recurring clean-ups.
const CalendarHorizon = 183 // days

// CalendarEvent is one all-day event of the team's calendar feed.
type CalendarEvent struct {
	UID         string // stable: the same thing keeps its UID across feeds
	Day         Date
	Summary     string
	Description string
	Stamp       time.Time // when the thing was last changed (DTSTAMP)
}

// CalendarEvents lists, soonest first: every release's GA and end of
// support, each active clean-up's open occurrence and, unless it is
// paused, its occurrences for CalendarHorizon days after today (on cal's
// working days for one kept to them), and the due date of every other open
// task with one.
func CalendarEvents(releases []*Release, cleanups []*Maintenance, open []*Task, today Date, cal WorkingTime) []CalendarEvent {
	var out []CalendarEvent
	for _, r := range releases {
		name := r.Vendor + " " + r.Name
		out = append(out, CalendarEvent{UID: "release-" + r.Key + "-ga@upgradebot", Day: r.GA, Stamp: r.CreatedAt,
			Summary: name + " GA", Description: fmt.Sprintf("Release %s (%s) is generally available.", r.Key, name)})
		if !r.Support.IsZero() {
			out = append(out, CalendarEvent{UID: "release-" + r.Key + "-support@upgradebot", Day: r.Support, Stamp: r.CreatedAt,
				Summary: name + " end of support", Description: fmt.Sprintf("Vendor support for release %s (%s) ends.", r.Key, name)})
		}
	}
	byID := map[int64]*Maintenance{}
	for _, m := range cleanups {
		byID[m.ID] = m
	}
	for _, t := range open {
		if t.Due.IsZero() {
			continue
		}
		desc := fmt.Sprintf("Task #%d · %s · %s", t.ID, t.Kind, t.Priority)
		if t.Assignee != "" {
			desc += " · assigned to " + t.Assignee
		}
		if t.Ref != "" {
			desc += " · ref " + t.Ref
		}
		if t.Release != "" {
			desc += " · release " + t.Release
		}
		uid := fmt.Sprintf("task-%d@upgradebot", t.ID)
		if t.MaintenanceID != 0 {
			uid = cleanupUID(t.MaintenanceID, t.Due)
		}
		out = append(out, CalendarEvent{UID: uid, Day: t.Due, Stamp: t.UpdatedAt, Summary: fmt.Sprintf("#%d %s", t.ID, t.Title), Description: desc})
	}
	end := today.AddDays(CalendarHorizon)
	for _, m := range cleanups {
		if !m.Active || m.Paused || m.Every.N <= 0 {
			continue
		}
		from := cmp.Or(m.NextDue, today)
		if today.After(from) {
			from = today
		}
		for d := m.ScheduledAfter(from, cal); !d.After(end); d = m.ScheduledAfter(d, cal) {
			desc := "Recurring clean-up, " + m.Schedule()
			if m.Assignee != "" {
				desc += " · assigned to " + m.Assignee
			}
			out = append(out, CalendarEvent{UID: cleanupUID(m.ID, d), Day: d, Stamp: m.CreatedAt, Summary: m.Title + " (planned)", Description: desc})
		}
	}
	slices.SortStableFunc(out, func(a, b CalendarEvent) int { return cmp.Or(a.Day.Compare(b.Day), cmp.Compare(a.UID, b.UID)) })
	return out
}

func cleanupUID(id int64, d Date) string {
	return fmt.Sprintf("cleanup-%d-%s@upgradebot", id, d.String())
}

// LoadCalendar reads what the calendar feed shows from d and lists its
// events (see CalendarEvents) as of now.
func LoadCalendar(ctx context.Context, d Desk, now time.Time) ([]CalendarEvent, error) {
	s, err := d.Settings(ctx)
	if err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	releases, err := d.FindReleases(ctx, ReleaseFilter{})
	if err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	cleanups, err := d.FindMaintenance(ctx)
	if err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	open, _, err := d.FindTasks(ctx, TaskFilter{Statuses: []TaskStatus{StatusOpen}})
	if err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	holidays, err := d.Holidays(ctx)
	if err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	cal := WorkingTime{Location: s.Location(), Holidays: holidays}
	return CalendarEvents(releases, cleanups, open, Today(now, s.Location()), cal), nil
}

// WriteICS writes events as an iCalendar (RFC 5545) file of all-day
// events: CRLF line ends, text escaped, lines folded at 75 octets.
func WriteICS(w io.Writer, name string, events []CalendarEvent) error {
	var b strings.Builder
	line := func(s string) { b.WriteString(foldICS(s)) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//upgradebot//EHR upgrade desk//EN")
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	line("X-WR-CALNAME:" + escapeICS(name))
	for _, e := range events {
		line("BEGIN:VEVENT")
		line("UID:" + e.UID)
		line("DTSTAMP:" + e.Stamp.UTC().Format("20060102T150405Z"))
		line("DTSTART;VALUE=DATE:" + icsDate(e.Day))
		line("DTEND;VALUE=DATE:" + icsDate(e.Day.AddDays(1)))
		line("SUMMARY:" + escapeICS(e.Summary))
		if e.Description != "" {
			line("DESCRIPTION:" + escapeICS(e.Description))
		}
		line("TRANSP:TRANSPARENT")
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write calendar: %w", err)
	}
	return nil
}

func icsDate(d Date) string { return fmt.Sprintf("%04d%02d%02d", d.Year, d.Month, d.Day) }

// escapeICS escapes a TEXT value: backslash, semicolon, comma and newline.
func escapeICS(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// foldICS ends a content line with CRLF, folding it so that no line is
// longer than 75 octets (the leading space of a continuation counts) and
// no UTF-8 character is split.
func foldICS(s string) string {
	var b strings.Builder
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74
	}
	b.WriteString(s)
	b.WriteString("\r\n")
	return b.String()
}
