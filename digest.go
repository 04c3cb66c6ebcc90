package upgradebot

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// DigestLimit is how many items each list of the channel digest shows
// before "…and N more": enough to act on, short enough to read on a phone.
const DigestLimit = 10

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
	// of recurring clean-ups are not in it: they are in Cleanups.
	Overdue      []*Task
	OverdueTotal int
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

// BuildDigest builds the team-channel digest post from d: a header and one
// section per list that has anything in it (overdue, due soon, vendor
// releases, decisions waiting, clean-ups behind, people over the workload
// threshold weeks running), each with "…and N more" past the limit, then
// the trend of open work, the countdown to the next freeze (see
// FreezeLine) and a "Forecast" section with one line per vendor with a
// cadence (none when no vendor has one). Its Text
// is the short plain fallback: the header and one line of counts.
//
// When no list has anything, it returns a one-line all-clear post if
// opts.AllClear is set, and false (nothing to post) otherwise: the forecast
// alone is not news, it goes with a digest that has something to say. BuildDigest
// does not trust the order of d's lists: it sorts copies of them. The post
// goes to opts.Channel; the caller makes sure one is set (the outbox refuses
// a post to nobody).
func BuildDigest(d DigestData, opts DigestOptions) (Message, bool) {
	msg := Message{Kind: MessagePost, To: opts.Channel}
	overdue := sortedCopy(d.Overdue, func(a, b *Task) int { return cmp.Or(a.Due.Compare(b.Due), cmp.Compare(a.ID, b.ID)) })
	dueSoon := sortedCopy(d.DueSoon, func(a, b *Task) int { return cmp.Or(a.Due.Compare(b.Due), cmp.Compare(a.ID, b.ID)) })
	releases := sortedCopy(d.Releases, func(a, b *Release) int { return cmp.Or(a.GA.Compare(b.GA), cmp.Compare(a.ID, b.ID)) })
	decisions := sortedCopy(d.Decisions, func(a, b *Decision) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	cleanups := sortedCopy(d.Cleanups, func(a, b OverdueCleanup) int {
		return cmp.Or(a.Maintenance.NextDue.Compare(b.Maintenance.NextDue), cmp.Compare(a.Maintenance.ID, b.Maintenance.ID))
	})

	var sections []Section
	var counts []string
	// addShown adds a section of total items, shown of them in lines
	// (which may hold headings besides).
	addShown := func(title string, total, shown int, lines []string, count func(n int) string, hint string) {
		total = max(total, shown)
		if total == 0 {
			return
		}
		sections = append(sections, Section{Title: fmt.Sprintf("%s (%d)", title, total), Lines: lines,
			More: total - shown, Hint: hint})
		counts = append(counts, count(total))
	}
	add := func(title string, total int, lines []string, count func(n int) string, hint string) {
		addShown(title, total, len(lines), lines, count, hint)
	}
	addShown("Overdue", d.OverdueTotal, len(overdue), d.taskLines(overdue),
		func(n int) string { return fmt.Sprintf("%d overdue", n) }, "`/upgrade list overdue`")
	addShown(fmt.Sprintf("Due in the next %d days", DigestDueDays), d.DueSoonTotal, len(dueSoon), d.taskLines(dueSoon),
		func(n int) string { return fmt.Sprintf("%d due within %d days", n, DigestDueDays) }, "`/upgrade list open`")
	add(fmt.Sprintf("Vendor releases, next %d days", DigestReleaseDays), d.ReleasesTotal,
		mapLines(releases, func(r *Release) string { return digestReleaseLine(r, d.Today) }),
		func(n int) string { return Plural(n, "vendor release") + " coming" }, "`/upgrade releases`")
	add("Decisions waiting", d.DecisionsTotal,
		mapLines(decisions, func(x *Decision) string { return digestDecisionLine(x, d.Now, d.Today) }),
		func(n int) string { return Plural(n, "decision") + " waiting" }, "`/upgrade decisions`")
	queues := PlanQueues(d.Queued, opts.Calendar)
	add("Clean-ups behind", d.CleanupsTotal,
		mapLines(cleanups, func(c OverdueCleanup) string {
			s := digestCleanupLine(c, d.Today)
			if q := c.Maintenance.QueueSummary(opts.Calendar, queues); q != "" {
				s += " · " + q
			}
			return s
		}),
		func(n int) string { return Plural(n, "clean-up") + " behind" }, "`/upgrade maint list`")
	overloaded, before := sortedCopy(d.Overloaded, CompareOverloaded), len(sections)
	add(overloadedTitle, d.OverloadedTotal, mapLines(overloaded, digestOverloadedLine),
		overloadedCount, "`/upgrade workload` shows everyone and who has room")
	if len(sections) > before && sections[before].More == 0 {
		sections[before].Lines = append(sections[before].Lines, overloadedHint)
	}
	if line := d.Partners.line(); line != "" {
		// Once a month: news, even on a day with nothing else to say.
		sections = append(sections, Section{Title: "Partners", Lines: []string{line}})
		counts = append(counts, "partners' month")
	}

	header := "Upgrade digest · " + d.Today.Human()
	if len(sections) == 0 {
		if !opts.AllClear {
			return Message{}, false
		}
		msg.Text = fmt.Sprintf("*All clear* for %s: nothing overdue or due within %d days, no decisions waiting, "+
			"no clean-ups behind, no vendor release within %d days. %s",
			d.Today.Human(), DigestDueDays, DigestReleaseDays, d.trendLine())
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
	msg.Text = header + "\n" + strings.Join(counts, " · ") + "."
	msg.Sections = sections
	return msg, true
}

// digestForecastLines is VendorForecast.Line for each vendor with a
// cadence, in name order.
func digestForecastLines(d DigestData) []string {
	f := MakeForecast(ForecastInput{Today: d.Today, Vendors: d.ForecastVendors, Releases: d.ForecastReleases,
		Phases: d.ForecastPhases, Plan: d.ForecastPlan, Freezes: d.Freezes,
		Calendar: WorkingTime{Holidays: d.Holidays}})
	return mapLines(f.Vendors, func(vf *VendorForecast) string { return "• " + vf.Line() })
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

// taskLines are the digest's lines for tasks, in order; with more than one
// site, grouped by site (in the order of d.Sites, the whole system's work
// last), each group under its site's name.
func (d DigestData) taskLines(tasks []*Task) []string {
	if len(d.Sites) < 2 {
		return mapLines(tasks, func(t *Task) string { return digestTaskLine(t, d.Today, d.Freezes) })
	}
	order := func(site string) int {
		if i := slices.IndexFunc(d.Sites, func(s Site) bool { return s.Key == site }); i >= 0 {
			return i
		}
		return len(d.Sites) // no site (or one since removed): last
	}
	grouped := slices.Clone(tasks)
	slices.SortStableFunc(grouped, func(a, b *Task) int { return cmp.Compare(order(a.Site), order(b.Site)) })
	var lines []string
	for i, t := range grouped {
		if i == 0 || order(t.Site) != order(grouped[i-1].Site) {
			name := "Whole system"
			if j := order(t.Site); j < len(d.Sites) {
				name = d.Sites[j].Name
			}
			lines = append(lines, "_"+Escape(name)+"_")
		}
		lines = append(lines, digestTaskLine(t, d.Today, d.Freezes))
	}
	return lines
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

// digestTaskLine is a task in the digest: number, title, owner, how late it
// is or when it is due, its release, and the freeze it is due inside.
func digestTaskLine(t *Task, today Date, freezes []*Freeze) string {
	s := fmt.Sprintf("• #%d %s · %s", t.ID, Escape(clipRunes(t.Title, digestTitleLen)), owner(t.Assignee))
	switch n := today.DaysUntil(t.Due); {
	case t.Due.IsZero():
	case n < 0:
		s += " · " + Plural(-n, "day") + " overdue"
	default:
		s += " · due " + relativeDay(t.Due, today)
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
	s := fmt.Sprintf("• `%s` %s %s · GA %s", r.Key, Escape(r.Vendor), Escape(r.Name), relativeDay(r.GA, today))
	if n := today.DaysUntil(r.GA); n > 1 {
		s += fmt.Sprintf(" (in %d days)", n)
	}
	if !r.Support.IsZero() {
		s += " · support ends " + r.Support.Human()
		if n := today.DaysUntil(r.Support); n > 0 {
			s += fmt.Sprintf(" (in %s)", Plural(n, "day"))
		}
	}
	return s
}

// digestDecisionLine is a pending decision: the question, who asked, who it
// waits on and for how long, and when it is needed.
func digestDecisionLine(d *Decision, now time.Time, today Date) string {
	s := fmt.Sprintf("• #%d %s · asked by %s · waiting on %s for %s", d.ID, Escape(clipRunes(d.Question, digestTitleLen)),
		Mention(d.RequestedBy), Mention(d.RoutedTo), Waited(now.Sub(d.CreatedAt)))
	if !d.Due.IsZero() {
		s += " · needed by " + relativeDay(d.Due, today)
		if d.Due.Before(today) {
			s += " (*late*)"
		}
	}
	return s
}

// digestCleanupLine is a recurring clean-up that is behind.
func digestCleanupLine(c OverdueCleanup, today Date) string {
	m := c.Maintenance
	s := fmt.Sprintf("• %s · %s · #%d %s overdue", Escape(clipRunes(m.Title, digestTitleLen)), owner(m.Assignee),
		m.OpenTaskID, Plural(m.NextDue.DaysUntil(today), "day"))
	if c.Occurrences > 1 {
		s += fmt.Sprintf(" (%d occurrences behind)", c.Occurrences)
	}
	if m.Every.N > 0 {
		s += " · " + m.Every.Human()
	}
	return s
}

// relativeDay names a day near today: "today", "tomorrow", "yesterday", or
// "Fri 4 Dec" (with the year when it is not this year's or next year's
// nearby date, that is, more than 300 days away).
func relativeDay(d, today Date) string {
	switch today.DaysUntil(d) {
	case 0:
		return "today"
	case 1:
		return "tomorrow"
	case -1:
		return "yesterday"
	}
	if n := today.DaysUntil(d); n > 300 || n < -300 {
		return d.Human()
	}
	return d.utc().Format("Mon 2 Jan")
}

func owner(user string) string {
	if user == "" {
		return "unassigned"
	}
	return Mention(user)
}

// Plural is "1 day", "3 days": n and unit, with an s unless n is 1.
func Plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
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
