package upgradebot

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// CalendarName is the calendar feed's name in calendar apps.
const CalendarName = "EHR upgrade desk"

// CalendarHorizon is how far ahead the calendar feed shows forecast
// go-lives.
const CalendarHorizon = 2 * 365 // days

// CleanupHorizon is how far ahead the feed lists, one by one, the planned
// occurrences of a clean-up kept to working days.
const CleanupHorizon = 183 // days

// CalendarEvent is one all-day event of the team's calendar feed, or a
// series of them.
type CalendarEvent struct {
	UID         string // stable: the same thing keeps its UID across feeds
	Day         Date
	Last        Date // the last day of a multi-day event (a freeze); zero for one day
	Summary     string
	Description string
	Stamp       time.Time // when the thing was last changed (DTSTAMP)
	// RRule repeats the event (RFC 5545 RRULE value, e.g.
	// "FREQ=WEEKLY;INTERVAL=2"): a recurring clean-up's planned
	// occurrences are one event, not one per date.
	RRule string
	// Location is the site the event is for, by name (LOCATION): "" for
	// the whole system, or "All sites" for a freeze of every site when
	// the team has sites.
	Location string
}

// CalendarInput is what the calendar feed shows.
type CalendarInput struct {
	Today    Date
	Releases []*Release
	Vendors  []*Vendor // their support windows give releases without a support date one
	Cleanups []*Maintenance
	Open     []*Task
	Freezes  []*Freeze
	Forecast *Forecast         // predicted go-lives; nil for none
	People   map[string]string // display names by user id
	Calendar WorkingTime       // for the clean-ups kept to working days
	Sites    []Site            // the team's sites, for the events' locations
}

// CalendarEvents lists, soonest first: every release's GA and end of
// support (its own date, or its GA plus the vendor's support window); the
// freezes; the forecast's go-lives of recorded releases within
// CalendarHorizon, marked as forecasts; each active clean-up's open
// occurrence and, unless it is paused, its planned occurrences from the one
// after it: one recurring event, or for a clean-up kept to working days
// (which a recurrence rule cannot say) one event a date for
// CleanupHorizon days; and the due date of every other open task with one.
// People are shown by name.
func CalendarEvents(in CalendarInput) []CalendarEvent {
	var out []CalendarEvent
	name := func(user string) string {
		if n := in.People[user]; n != "" {
			return "@" + n
		}
		return user
	}
	site := func(key string) string {
		if key == "" {
			return ""
		}
		return Settings{Sites: in.Sites}.SiteName(key)
	}
	window := map[string]int{}
	for _, v := range in.Vendors {
		window[lowerASCII(v.Name)] = v.SupportDays
	}
	for _, r := range in.Releases {
		rn := r.Vendor + " " + r.Name
		out = append(out, CalendarEvent{UID: "release-" + r.Key + "-ga@upgradebot", Day: r.GA, Stamp: r.CreatedAt, Location: site(r.Site),
			Summary: rn + " GA", Description: fmt.Sprintf("Release %s (%s) is generally available.", r.Key, rn)})
		switch days := window[lowerASCII(r.Vendor)]; {
		case !r.Support.IsZero():
			out = append(out, CalendarEvent{UID: "release-" + r.Key + "-support@upgradebot", Day: r.Support, Stamp: r.CreatedAt, Location: site(r.Site),
				Summary: rn + " end of support", Description: fmt.Sprintf("Vendor support for release %s (%s) ends.", r.Key, rn)})
		case days > 0:
			out = append(out, CalendarEvent{UID: "release-" + r.Key + "-support@upgradebot", Day: r.GA.AddDays(days), Stamp: r.CreatedAt, Location: site(r.Site),
				Summary: rn + " end of support", Description: fmt.Sprintf("Vendor support for release %s (%s) ends: %s after its GA, the vendor's support window.", r.Key, rn, Span(days))})
		}
	}
	for _, f := range in.Freezes {
		summary := "Change freeze: " + f.Reason
		if strings.Contains(strings.ToLower(f.Reason), "freeze") {
			summary = f.Reason
		}
		where := site(f.Site)
		if where == "" && len(in.Sites) > 0 {
			where = "All sites"
		}
		out = append(out, CalendarEvent{UID: fmt.Sprintf("freeze-%d@upgradebot", f.ID), Day: f.From, Last: f.To, Stamp: f.CreatedAt, Location: where,
			Summary: summary, Description: fmt.Sprintf("No changes go live from %s to %s.", f.From.Human(), f.To.Human())})
	}
	if in.Forecast != nil {
		horizon := in.Today.AddDays(CalendarHorizon)
		for _, vf := range in.Forecast.Vendors {
			for _, pl := range vf.Coming {
				if pl.Release.ID == 0 || pl.Live.After(horizon) {
					continue
				}
				r := pl.Release
				desc := fmt.Sprintf("Forecast, not a plan: %s (%s) goes live about then at %s's pace, %s.", r.Key, r.Vendor+" "+r.Name, vf.Vendor.Name, vf.Pace.CycleHuman())
				if pl.Moved != "" {
					desc += " Moved: " + pl.Moved + "."
				}
				out = append(out, CalendarEvent{UID: "release-" + r.Key + "-golive-forecast@upgradebot", Day: pl.Live, Stamp: r.CreatedAt, Location: site(r.Site),
					Summary: r.Vendor + " " + r.Name + " go-live (forecast)", Description: desc})
			}
		}
	}
	for _, t := range in.Open {
		if t.Due.IsZero() {
			continue
		}
		desc := fmt.Sprintf("Task #%d · %s · %s", t.ID, t.Kind, t.Priority)
		if t.Assignee != "" {
			desc += " · assigned to " + name(t.Assignee)
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
		out = append(out, CalendarEvent{UID: uid, Day: t.Due, Stamp: t.UpdatedAt, Summary: fmt.Sprintf("#%d %s", t.ID, t.Title), Description: desc,
			Location: site(t.Site)})
	}
	end := in.Today.AddDays(CleanupHorizon)
	for _, m := range in.Cleanups {
		if !m.Active || m.Paused || m.Every.N <= 0 {
			continue
		}
		from := cmp.Or(m.NextDue, in.Today)
		if in.Today.After(from) {
			from = in.Today
		}
		desc := "Recurring clean-up, " + m.Schedule()
		if m.Assignee != "" {
			desc += " · assigned to " + name(m.Assignee)
		}
		if m.Workdays {
			for d := m.ScheduledAfter(from, in.Calendar); !d.After(end); d = m.ScheduledAfter(d, in.Calendar) {
				out = append(out, CalendarEvent{UID: cleanupUID(m.ID, d), Day: d, Stamp: m.CreatedAt, Summary: m.Title + " (planned)", Description: desc,
					Location: site(m.Site)})
			}
			continue
		}
		out = append(out, CalendarEvent{UID: fmt.Sprintf("cleanup-%d-series@upgradebot", m.ID), Day: m.Every.NextAfter(m.Anchor, from),
			Stamp: m.CreatedAt, Summary: m.Title + " (planned)", Description: desc, RRule: m.Every.RRule(m.Anchor), Location: site(m.Site)})
	}
	slices.SortStableFunc(out, func(a, b CalendarEvent) int { return cmp.Or(a.Day.Compare(b.Day), cmp.Compare(a.UID, b.UID)) })
	return out
}

// RRule is the interval as an iCalendar recurrence rule for a series
// anchored on anchor. Months keep the anchor's day, or the month's last
// day when it is shorter, as Occurrence counts them.
func (iv Interval) RRule(anchor Date) string {
	switch iv.Unit {
	case 'w':
		return fmt.Sprintf("FREQ=WEEKLY;INTERVAL=%d", iv.N)
	case 'm':
		if anchor.Day <= 28 {
			return fmt.Sprintf("FREQ=MONTHLY;INTERVAL=%d;BYMONTHDAY=%d", iv.N, anchor.Day)
		}
		days := make([]string, 0, 4)
		for d := 28; d <= anchor.Day; d++ {
			days = append(days, strconv.Itoa(d))
		}
		return fmt.Sprintf("FREQ=MONTHLY;INTERVAL=%d;BYMONTHDAY=%s;BYSETPOS=-1", iv.N, strings.Join(days, ","))
	}
	return fmt.Sprintf("FREQ=DAILY;INTERVAL=%d", iv.N)
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
	today := Today(now, s.Location())
	in := CalendarInput{Today: today, Sites: s.Sites}
	if in.Releases, err = d.FindReleases(ctx, ReleaseFilter{}); err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	if in.Vendors, err = d.FindVendors(ctx); err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	if in.Cleanups, err = d.FindMaintenance(ctx); err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	if in.Open, _, err = d.FindTasks(ctx, TaskFilter{Statuses: []TaskStatus{StatusOpen}}); err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	if in.Freezes, err = d.FindFreezes(ctx, today); err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	if in.People, err = d.People(ctx); err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	phases, err := d.FindPhases(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	holidays, err := d.Holidays(ctx)
	if err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	in.Calendar = WorkingTime{Location: s.Location(), Holidays: holidays}
	in.Forecast = MakeForecast(ForecastInput{Today: today, Vendors: in.Vendors, Releases: in.Releases, Phases: phases,
		Plan: s.Config().Phases, Calendar: in.Calendar, Freezes: in.Freezes})
	return CalendarEvents(in), nil
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
		last := e.Day
		if e.Last.After(e.Day) {
			last = e.Last
		}
		line("DTEND;VALUE=DATE:" + icsDate(last.AddDays(1)))
		if e.RRule != "" {
			line("RRULE:" + e.RRule)
		}
		line("SUMMARY:" + escapeICS(e.Summary))
		if e.Description != "" {
			line("DESCRIPTION:" + escapeICS(e.Description))
		}
		if e.Location != "" {
			line("LOCATION:" + escapeICS(e.Location))
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
