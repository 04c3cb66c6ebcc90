package upgradebot

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// DigestLimit is how many items of each list the channel digest reads.
const DigestLimit = 10

// DigestShown is how many lines of each list the digest shows before
// "…and N more" and the command that lists them all: enough to see what
// is worst, short enough to read in 30 seconds on a phone.
const DigestShown = 3

// The digest's windows, in days.
const (
	DigestDueDays     = 7  // due soon: today and the 6 days after
	DigestReleaseDays = 90 // vendor releases with GA from today to 90 days on
)

// digestTitleLen clips titles and questions in the digest, so that each
// item stays a line or two on a phone.
const digestTitleLen = 80

// DigestData is what the channel digest reports, already limited: each
// list holds at most the number of items asked for, in the order shown,
// and its total says how many there are in all.
type DigestData struct {
	Now   time.Time // when it was read: decisions have waited until then
	Today Date      // the team's calendar day at Now

	// Overdue: open tasks due before Today, oldest due first. Occurrences
	// of recurring clean-ups are not in it: they are in Cleanups, and
	// CleanupOccurrences counts them, so that the digest counts overdue
	// work as `list overdue` does.
	Overdue            []*Task
	OverdueTotal       int
	CleanupOccurrences int
	// DueSoon: open tasks due from Today to the DigestDueDays-1 days
	// after, soonest first.
	DueSoon      []*Task
	DueSoonTotal int
	// Releases: vendor releases with GA from Today to DigestReleaseDays
	// days on, earliest first.
	Releases      []*Release
	ReleasesTotal int
	// Decisions: pending decision requests, longest waiting first.
	Decisions      []*Decision
	DecisionsTotal int
	// Cleanups: recurring clean-ups with an open occurrence due before
	// Today, longest overdue first.
	Cleanups      []OverdueCleanup
	CleanupsTotal int
	// Queued are the active clean-ups with a queue reading, so each
	// queue's clear date counts its owner's other queues (PlanQueues).
	Queued []*Maintenance

	// Open work for the trend line: tasks open at Now, and tasks that were
	// open 7 days before (created by then and not closed by then).
	OpenNow, OpenWeekAgo int

	// What the forecast line per vendor is made from (see MakeForecast):
	// every vendor, every release and every recorded phase, not limited.
	ForecastVendors  []*Vendor
	ForecastReleases []*Release
	ForecastPhases   []*ReleasePhase
	ForecastPlan     PhasePlan // the team's cycle; empty: DefaultPhasePlan

	// NextFreeze is the freeze in force at Today or, if none, the next one
	// to start; nil when none is coming. Freezes are all those not over by
	// Today, by start: work due inside one is flagged, and go-lives are
	// moved out of them and off Holidays.
	NextFreeze *Freeze
	Freezes    []*Freeze
	Holidays   []Date
	// FirstTask is when the first task was created (zero: none): the trend
	// compares with a week ago only once there is a week of history.
	FirstTask time.Time

	// Overloaded: people over the workload threshold OverloadWeeks or
	// more team weeks running, Today's week included, as the weekly
	// snapshots recorded them (see RecordWorkloadWeek); in
	// CompareOverloaded order.
	Overloaded      []Overloaded
	OverloadedTotal int

	// Names are the display names the desk knows, by user id: the digest
	// names people without pinging them (see PlainName).
	Names map[string]string
	// Sites are the team's sites, by key: with more than one, the lists
	// of tasks are grouped by site.
	Sites []Site
	// HasPartners says the team has partners. Partners is then last
	// month's partner report, which Digest sets for the first digest of a
	// month (nil otherwise).
	HasPartners bool
	Partners    *PartnerReport
}

// OverdueCleanup is a recurring clean-up that is behind.
type OverdueCleanup struct {
	// Maintenance's NextDue and OpenTaskID are its oldest overdue occurrence.
	Maintenance *Maintenance
	Occurrences int // how many of its occurrences are open and past due
}

// DigestService reads what the channel digest reports.
type DigestService interface {
	// DigestData returns the digest's lists as of now, today being the
	// team's calendar day at now, each list holding at most limit items,
	// with their totals. EINVALID if limit is not positive.
	DigestData(ctx context.Context, now time.Time, today Date, limit int) (DigestData, error)
}

// DigestOptions say how to build the digest post.
type DigestOptions struct {
	Channel string // the team channel: where the post goes
	// AllClear makes a digest with nothing to report a one-line all-clear
	// post; without it, BuildDigest stays quiet.
	AllClear bool
	// Calendar is the team's working time, for when clean-up queues
	// clear; the zero value is the defaults.
	Calendar WorkingTime
}

// Digest reads and builds the team-channel digest as of now, for the
// scheduled digest and the `digest` command alike: it records the week's
// workload snapshot against limits first (see RecordWorkloadWeek), so the
// digest can name who has been over the threshold weeks running, then reads
// the lists as of now (see DigestData), today being opts.Calendar's day at
// now, and builds the post with BuildDigest: false when it has nothing to
// post. Recording the snapshot again in a week refreshes it and changes
// nothing anyone sees, so a preview may call Digest too.
func Digest(ctx context.Context, desk Desk, now time.Time, limits WorkloadLimits, opts DigestOptions) (Message, bool, error) {
	today := opts.Calendar.Today(now)
	if err := desk.RecordWorkloadWeek(ctx, today, limits); err != nil {
		return Message{}, false, err
	}
	d, err := desk.DigestData(ctx, now, today, DigestLimit)
	if err != nil {
		return Message{}, false, err
	}
	if d.HasPartners {
		if d.Partners, err = monthPartners(ctx, desk, opts.Calendar, now); err != nil {
			return Message{}, false, err
		}
	}
	m, ok := BuildDigest(d, opts)
	return m, ok, nil
}

// digestJobName is the scheduled digest's job (see ScheduledJobs).
const digestJobName = "digest"

// monthPartners is last month's partner report when the digest at now is
// the first of its month: now is on a working day of cal and no digest
// run of the month before now was done on a working day (so a holiday on
// the 1st, or a failed or missed run, moves it to the next digest). nil
// otherwise, or when the team has no partners.
func monthPartners(ctx context.Context, desk Desk, cal WorkingTime, now time.Time) (*PartnerReport, error) {
	today := cal.Today(now)
	if !cal.IsWorkingDay(today) {
		return nil, nil
	}
	first := Date{today.Year, today.Month, 1}
	runs, err := desk.FindRuns(ctx, digestJobName, first.Time(cal.loc()), now)
	if err != nil {
		return nil, err
	}
	for _, r := range runs {
		if r.Status == RunDone && cal.IsWorkingDay(cal.Today(r.At)) {
			return nil, nil
		}
	}
	from := first.AddMonths(-1)
	r, err := desk.PartnerReport(ctx, from, first.AddDays(-1), today)
	if err != nil || len(r.People) == 0 {
		return nil, err
	}
	return r, nil
}

// BuildDigest builds the team-channel digest post from d, to be read in
// 30 seconds on a phone. Its header, the first thing shown, is the one-line
// summary ("Upgrade digest · Mon 30 Nov: 2 overdue · 4 due within 7 days ·
// …"); then one section per list that has anything in it (overdue work,
// clean-up occurrences counted with it as `list overdue` counts them; due
// soon; vendor releases; decisions waiting; people over the workload
// threshold weeks running), each at most DigestShown lines with "…and N
// more" and the command that lists them all; then the trend of open work
// and the countdown to the next freeze (see FreezeLine); and a "Forecast"
// section in plain words, on Mondays and on a day it changed (see
// digestForecastLines). People are named without a ping, except the one
// who must act: whoever a late decision waits on. Titles and questions are
// clipped at a whole word. Text is the header: what a notification shows.
//
// When no list has anything, it returns a one-line all-clear post if
// opts.AllClear is set, and false (nothing to post) otherwise: the forecast
// alone is not news, it goes with a digest that has something to say. BuildDigest
// does not trust the order of d's lists: it sorts copies of them. The post
// goes to opts.Channel; the caller makes sure one is set (the outbox refuses
// a post to nobody).
func BuildDigest(d DigestData, opts DigestOptions) (Message, bool) {
	msg := Message{Kind: MessagePost, To: opts.Channel}
	dueSoon := sortedCopy(d.DueSoon, func(a, b *Task) int { return cmp.Or(a.Due.Compare(b.Due), cmp.Compare(a.ID, b.ID)) })
	releases := sortedCopy(d.Releases, func(a, b *Release) int { return cmp.Or(a.GA.Compare(b.GA), cmp.Compare(a.ID, b.ID)) })
	decisions := sortedCopy(d.Decisions, func(a, b *Decision) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	queues := PlanQueues(d.Queued, opts.Calendar)
	overdue := d.overdueWork(opts.Calendar, queues)

	var sections []Section
	var counts []string
	// add makes a section of a list of total items of which lines are the
	// first, each standing for covers[i] items (nil: one each; a site's
	// heading stands for none).
	add := func(title string, total int, lines []string, covers []int, count func(n int) string, hint string) {
		if len(covers) == 0 {
			covers = make([]int, len(lines))
			for i := range covers {
				covers[i] = 1
			}
		}
		all := 0
		for _, c := range covers {
			all += c
		}
		total = max(total, all)
		if total == 0 {
			return
		}
		// At most DigestShown items, with the site headings over them.
		k, items, n := 0, 0, 0
		for i, c := range covers {
			if c > 0 {
				if items == DigestShown {
					break
				}
				items, n = items+1, n+c
			}
			k = i + 1
		}
		for k > 0 && covers[k-1] == 0 {
			k-- // no heading without its lines
		}
		shown := lines[:k]
		sections = append(sections, Section{Title: fmt.Sprintf("%s (%d)", title, total), Lines: shown,
			More: total - n, Hint: hint})
		counts = append(counts, count(total))
	}
	overdueLines, overdueCovers := d.bySite(overdue)
	add("Overdue", d.OverdueTotal+d.CleanupOccurrences, overdueLines, overdueCovers,
		func(n int) string { return fmt.Sprintf("%d overdue", n) }, "`/upgrade list overdue`")
	var soon []overdueItem
	for _, t := range dueSoon {
		soon = append(soon, overdueItem{t.Due, t.ID, digestTaskLine(t, d.Today, d.Freezes, d.Names), 1, t.Site})
	}
	soonLines, soonCovers := d.bySite(soon)
	add(fmt.Sprintf("Due in the next %d days", DigestDueDays), d.DueSoonTotal, soonLines, soonCovers,
		func(n int) string { return fmt.Sprintf("%d due within %d days", n, DigestDueDays) }, "`/upgrade list open`")
	add(fmt.Sprintf("Vendor releases, next %d days", DigestReleaseDays), d.ReleasesTotal,
		mapLines(releases, func(r *Release) string { return digestReleaseLine(r, d.Today) }), nil,
		func(n int) string { return Plural(n, "vendor release") + " coming" }, "`/upgrade releases`")
	add("Decisions waiting", d.DecisionsTotal,
		mapLines(decisions, func(x *Decision) string { return digestDecisionLine(x, d.Now, d.Today, d.Names) }), nil,
		func(n int) string { return Plural(n, "decision") + " waiting" }, "`/upgrade decisions`")
	overloaded, before := sortedCopy(d.Overloaded, CompareOverloaded), len(sections)
	add(overloadedTitle, d.OverloadedTotal, mapLines(overloaded, func(o Overloaded) string { return digestOverloadedLine(o, d.Names) }), nil,
		overloadedCount, "`/upgrade workload` shows everyone and who has room")
	if len(sections) > before && sections[before].More == 0 {
		sections[before].Lines = append(sections[before].Lines, overloadedHint)
	}
	if line := d.Partners.line(); line != "" {
		// Once a month: news, even on a day with nothing else to say.
		sections = append(sections, Section{Title: "Partners", Lines: []string{line}})
		counts = append(counts, "partners' month")
	}

	day := d.Today.Short(d.Today)
	if len(sections) == 0 {
		if !opts.AllClear {
			return Message{}, false
		}
		msg.Text = fmt.Sprintf("*All clear* for %s: nothing overdue or due within %d days, no decisions waiting, "+
			"no vendor release within %d days. %s", day, DigestDueDays, DigestReleaseDays, d.trendLine())
		if fl := FreezeLine(d.NextFreeze, d.Today); fl != "" {
			msg.Text += " " + fl + "."
		}
		return msg, true
	}
	trend := []string{d.trendLine()}
	if fl := FreezeLine(d.NextFreeze, d.Today); fl != "" {
		trend = append(trend, fl+".")
	}
	sections = append(sections, Section{Lines: trend})
	if lines := digestForecastLines(d); len(lines) > 0 {
		sections = append(sections, Section{Title: "Forecast", Lines: lines})
	}
	msg.Text = digestHeader(day, counts)
	msg.Sections = sections
	return msg, true
}

// maxDigestHeader is what Slack shows of a header block.
const maxDigestHeader = 150

// digestHeader is the digest's one-line summary, "Upgrade digest · Mon 30
// Nov: 2 overdue · 4 due within 7 days", kept to what a header shows:
// without "Upgrade digest" when it is long, then without the last counts.
func digestHeader(day string, counts []string) string {
	h := "Upgrade digest · " + day + ": " + strings.Join(counts, " · ")
	if len([]rune(h)) <= maxDigestHeader {
		return h
	}
	for n := len(counts); n > 0; n-- {
		h = day + ": " + strings.Join(counts[:n], " · ")
		if n < len(counts) {
			h += " · …"
		}
		if len([]rune(h)) <= maxDigestHeader {
			return h
		}
	}
	return day
}

// overdueItem is a line of the digest's overdue work: a task, or a
// clean-up behind standing for its overdue occurrences.
type overdueItem struct {
	due    Date
	id     int64
	line   string
	covers int
	site   string
}

// overdueWork is the overdue tasks and the clean-ups behind (each for all
// its overdue occurrences, with its queue when one is recorded), oldest
// due first.
func (d DigestData) overdueWork(cal WorkingTime, queues map[int64]QueueClear) []overdueItem {
	var out []overdueItem
	for _, t := range d.Overdue {
		out = append(out, overdueItem{t.Due, t.ID, digestTaskLine(t, d.Today, d.Freezes, d.Names), 1, t.Site})
	}
	for _, c := range d.Cleanups {
		s := digestCleanupLine(c, d.Today, d.Names)
		if q := c.Maintenance.QueueSummary(cal, queues); q != "" {
			s += " · " + q
		}
		out = append(out, overdueItem{c.Maintenance.NextDue, c.Maintenance.OpenTaskID, s, max(c.Occurrences, 1), c.Maintenance.Site})
	}
	slices.SortStableFunc(out, func(a, b overdueItem) int { return cmp.Or(a.due.Compare(b.due), cmp.Compare(a.id, b.id)) })
	return out
}

// digestForecastLines are the forecast of each vendor with a cadence, in
// name order and plain words (see PlainForecast): every vendor's on a
// Monday, and on other days only those whose forecast changed since the
// day before (see forecastKey; read from the same data, without what was
// recorded since: phases started or done and releases added after that
// day).
func digestForecastLines(d DigestData) []string {
	f := MakeForecast(ForecastInput{Today: d.Today, Vendors: d.ForecastVendors, Releases: d.ForecastReleases,
		Phases: d.ForecastPhases, Plan: d.ForecastPlan, Freezes: d.Freezes,
		Calendar: WorkingTime{Holidays: d.Holidays}})
	var was map[int64]string
	if d.Today.Weekday() != time.Monday {
		was = map[int64]string{}
		prev := d.Today.AddDays(-1)
		var releases []*Release
		for _, r := range d.ForecastReleases {
			if r.CreatedAt.IsZero() || DateOf(r.CreatedAt.In(d.Now.Location())).Before(d.Today) {
				releases = append(releases, r)
			}
		}
		var phases []*ReleasePhase
		for _, p := range d.ForecastPhases {
			if p.Start.After(prev) {
				continue
			}
			q := *p
			if q.End.After(prev) {
				q.End = Date{}
			}
			phases = append(phases, &q)
		}
		before := MakeForecast(ForecastInput{Today: prev, Vendors: d.ForecastVendors, Releases: releases,
			Phases: phases, Plan: d.ForecastPlan, Freezes: d.Freezes, Calendar: WorkingTime{Holidays: d.Holidays}})
		for _, vf := range before.Vendors {
			was[vf.Vendor.ID] = forecastKey(vf)
		}
	}
	var lines []string
	for _, vf := range f.Vendors {
		if was != nil && was[vf.Vendor.ID] == forecastKey(vf) {
			continue
		}
		lines = append(lines, "• "+PlainForecast(vf, d.Today))
	}
	return lines
}

// forecastKey is what a reader takes from a vendor's forecast: how many
// releases behind, the next go-live (which, and its week: a projection
// that slides a day with each day nothing is recorded is not news every
// day), the pace in PlainForecast's words, and the week support runs out.
func forecastKey(vf *VendorForecast) string {
	week := func(d Date) string {
		if d.IsZero() {
			return ""
		}
		y, w := d.utc().ISOWeek()
		return fmt.Sprintf("%d-W%02d", y, w)
	}
	s := fmt.Sprintf("%d", len(vf.Behind))
	if len(vf.Coming) > 0 {
		s += " " + releaseName(vf.Coming[0].Release) + " " + week(vf.Coming[0].Live)
	}
	pace := PlainForecast(&VendorForecast{Vendor: vf.Vendor, Pace: vf.Pace, Behind: vf.Behind, DriftDays: vf.DriftDays,
		CyclesPerRelease: vf.CyclesPerRelease}, Date{})
	return s + " " + pace + " " + week(vf.OutOfSupport)
}

// PlainForecast is a vendor's forecast in the words of a daily read:
// "MedCore: 2 releases behind, next go-live `medcore-2026q3` Mon 1 Feb 2027;
// falling behind by about one release every 21 months; out of support from
// Wed 21 Apr 2032."
func PlainForecast(vf *VendorForecast, today Date) string {
	s := Escape(vf.Vendor.Name) + ": "
	switch n := len(vf.Behind); n {
	case 0:
		s += "up to date"
	case 1:
		s += "1 release behind"
	default:
		s += fmt.Sprintf("%d releases behind", n)
	}
	if len(vf.Coming) > 0 {
		s += fmt.Sprintf(", next go-live %s %s", releaseName(vf.Coming[0].Release), vf.Coming[0].Live.Relative(today))
	}
	switch {
	case vf.DriftDays > 0 && vf.CyclesPerRelease > 0:
		s += "; falling behind by about one release every " + aboutSpan(vf.CyclesPerRelease*float64(vf.Pace.CycleDays)/float64(max(vf.Pace.AtOnce, 1)))
	case vf.DriftDays > 0:
		s += "; falling behind"
	case len(vf.Behind) > 0 && vf.DriftDays < 0:
		s += "; catching up"
	default:
		s += "; keeping pace"
	}
	if !vf.OutOfSupport.IsZero() {
		s += "; out of support from " + vf.OutOfSupport.Relative(today)
	}
	return s + "."
}

// aboutSpan is a long span of days in round words: "6 weeks", "21
// months", "3 years".
func aboutSpan(days float64) string {
	switch months := days / 30.44; {
	case days < 60:
		return Plural(max(int(math.Round(days/7)), 1), "week")
	case months < 36:
		return Plural(int(math.Round(months)), "month")
	default:
		return Plural(int(math.Round(months/12)), "year")
	}
}

// trendLine is TrendLine once the desk has a week of history, and open
// work alone before that: a new desk is not "up 17 from 0 a week ago".
func (d DigestData) trendLine() string {
	if d.FirstTask.IsZero() || d.FirstTask.After(d.Now.AddDate(0, 0, -7)) {
		return "Open work: " + Plural(d.OpenNow, "task") + "."
	}
	return TrendLine(d.OpenNow, d.OpenWeekAgo)
}

// TrendLine compares open work now with open work a week before:
// "Open work: 42 tasks, up 5 from 37 a week ago."
func TrendLine(now, before int) string {
	s := "Open work: " + Plural(now, "task")
	switch {
	case now > before:
		s += fmt.Sprintf(", up %d from %d a week ago", now-before, before)
	case now < before:
		s += fmt.Sprintf(", down %d from %d a week ago", before-now, before)
	default:
		s += ", the same as a week ago"
	}
	return s + "."
}

// Waited renders how long something has waited, coarsely: "3 days",
// "5 hours", "under 2 hours".
func Waited(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d days", int(d.Hours()/24))
	case d >= 2*time.Hour:
		return fmt.Sprintf("%d hours", int(d.Hours()))
	default:
		return "under 2 hours"
	}
}

// bySite is items as digest lines and what each stands for; with more
// than one site, grouped by site (in the order of d.Sites, the whole
// system's work last), each group under its site's name, which stands for
// nothing.
func (d DigestData) bySite(items []overdueItem) ([]string, []int) {
	order := func(site string) int {
		if i := slices.IndexFunc(d.Sites, func(s Site) bool { return s.Key == site }); i >= 0 {
			return i
		}
		return len(d.Sites) // no site (or one since removed): last
	}
	if len(d.Sites) >= 2 {
		items = slices.Clone(items)
		slices.SortStableFunc(items, func(a, b overdueItem) int { return cmp.Compare(order(a.site), order(b.site)) })
	}
	var lines []string
	var covers []int
	for i, it := range items {
		if len(d.Sites) >= 2 && (i == 0 || order(it.site) != order(items[i-1].site)) {
			name := "Whole system"
			if j := order(it.site); j < len(d.Sites) {
				name = d.Sites[j].Name
			}
			lines, covers = append(lines, "_"+Escape(name)+"_"), append(covers, 0)
		}
		lines, covers = append(lines, it.line), append(covers, it.covers)
	}
	return lines, covers
}

// line is the partner report's digest line with the command that shows
// it all; "" for nil.
func (r *PartnerReport) line() string {
	if r == nil {
		return ""
	}
	line := r.Line()
	if line == "" {
		return ""
	}
	return line + " `/upgrade partner report " + r.From.String()[:7] + "`"
}

// digestTaskLine is a task in the digest: number, title, owner (a plain
// name), how late it is or when it is due, its release, and the freeze it
// is due inside.
func digestTaskLine(t *Task, today Date, freezes []*Freeze, names map[string]string) string {
	s := fmt.Sprintf("• #%d %s · %s", t.ID, Escape(ClipWords(t.Title, digestTitleLen)), ownerName(t.Assignee, names))
	switch n := today.DaysUntil(t.Due); {
	case t.Due.IsZero():
	case n < 0:
		s += " · " + Plural(-n, "day") + " overdue"
	default:
		s += " · due " + t.Due.Relative(today)
	}
	if t.Priority == PriorityHigh {
		s += " · high"
	}
	if t.Release != "" {
		s += " · " + Escape(t.Release)
	}
	if f := FreezeOnSite(freezes, t.Due, t.Site); f != nil && !t.Due.IsZero() {
		s += " · *inside the " + f.Name() + "*"
	}
	return s
}

// digestReleaseLine is a coming vendor release: its key, name, and how far
// off GA and the end of support are.
func digestReleaseLine(r *Release, today Date) string {
	s := fmt.Sprintf("• `%s` %s %s · GA %s", r.Key, Escape(r.Vendor), Escape(r.Name), r.GA.Relative(today))
	if n := today.DaysUntil(r.GA); n > 1 {
		s += fmt.Sprintf(" (in %d days)", n)
	}
	if !r.Support.IsZero() {
		s += " · support ends " + r.Support.Relative(today)
		if n := today.DaysUntil(r.Support); n > 1 {
			s += fmt.Sprintf(" (in %s)", Plural(n, "day"))
		}
	}
	return s
}

// digestDecisionLine is a pending decision: the question, who asked, who it
// waits on and for how long, and when it is needed. Whoever a late
// decision waits on is the one person the digest pings: they must act.
func digestDecisionLine(d *Decision, now time.Time, today Date, names map[string]string) string {
	late := !d.Due.IsZero() && d.Due.Before(today)
	on := PlainName(d.RoutedTo, names)
	if late {
		on = Mention(d.RoutedTo)
	}
	s := fmt.Sprintf("• #%d %s · asked by %s · waiting on %s for %s", d.ID, Escape(ClipWords(d.Question, digestTitleLen)),
		PlainName(d.RequestedBy, names), on, Waited(now.Sub(d.CreatedAt)))
	if !d.Due.IsZero() {
		s += " · needed by " + d.Due.Relative(today)
		if late {
			s += " (*late*)"
		}
	}
	return s
}

// digestCleanupLine is a recurring clean-up that is behind, standing for
// its overdue occurrences: its oldest one's number, the title, owner, how
// late, how many occurrences are behind.
func digestCleanupLine(c OverdueCleanup, today Date, names map[string]string) string {
	m := c.Maintenance
	s := fmt.Sprintf("• #%d %s · %s · %s overdue", m.OpenTaskID, Escape(ClipWords(m.Title, digestTitleLen)), ownerName(m.Assignee, names),
		Plural(m.NextDue.DaysUntil(today), "day"))
	if c.Occurrences > 1 {
		s += fmt.Sprintf(" (%d occurrences behind)", c.Occurrences)
	}
	if m.Every.N > 0 {
		s += " · clean-up " + m.Every.Human()
	} else {
		s += " · clean-up"
	}
	return s
}

// Plural is "1 day", "3 days": n and unit, with an s unless n is 1.
func Plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// ClipWords shortens s to at most n characters at a whole word, ending with
// "…" when it was cut: "consolidating both…", never "consolidating both
// upgra…". A first word longer than about half of n is cut where it must.
func ClipWords(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	head := r[:n-1]
	if r[n-1] != ' ' {
		for i := len(head) - 1; i >= (n-1)/3; i-- {
			if head[i] == ' ' {
				head = head[:i]
				break
			}
		}
	}
	return strings.TrimRight(string(head), " ,;:-–") + "…"
}

// clipRunes shortens s to n characters, ending with "…" when it was cut.
func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimRight(string(r[:n-1]), " ") + "…"
}

func sortedCopy[T any](s []T, cmp func(a, b T) int) []T {
	c := slices.Clone(s)
	slices.SortStableFunc(c, cmp)
	return c
}

func mapLines[T any](s []T, line func(T) string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = line(v)
	}
	return out
}
