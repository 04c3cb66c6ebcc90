// Package taskcsv reads a ticket system's CSV export into tasks and writes
// tasks as CSV that it reads back. It is pure: no database, no clock.
//
// A file's columns are matched to task fields by their headers, ignoring
// case, surrounding space and the difference between _ and a space.
// ServiceNow's field names, which its CSV export writes by default (number,
// short_description, assigned_to, due_date, priority, state), and its
// labels (Number, Short description, ...) are recognised, as are Jira's
// headers (Issue key, Summary, Assignee, Due date, Priority, Status,
// Resolution) and the field names themselves (ref, title, ...); a Mapping
// names the column of a field explicitly and wins. Columns that give no
// field are ignored and listed in the Result.
//
// The delimiter (comma, semicolon or tab) is read from the header line, or
// from Excel's "sep=;" line before it, unless Options says it.
package taskcsv

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/upgradebot/upgradebot"
)

// The task fields a column can give. Ref and title are required.
const (
	FieldRef      = "ref"
	FieldTitle    = "title"
	FieldAssignee = "assignee"
	FieldDue      = "due"
	FieldPriority = "priority"
	FieldKind     = "kind"
	FieldRelease  = "release"
	FieldPhase    = "phase" // the release's phase the task belongs to
	FieldStatus   = "status"
	FieldEstimate = "estimate" // 4h, 1.5h, 2d: see upgradebot.ParseEstimate
	// FieldSite is the site (hospital) the work is for: one of the
	// team's sites, by key or name (Options.Sites).
	FieldSite = "site"
	// FieldResolution is Jira's resolution: when a ticket has one (Done,
	// Won't Do...), it says the ticket is closed and how. It is read, not
	// written.
	FieldResolution = "resolution"
)

// Fields lists every field Write writes, in its order.
var Fields = []string{FieldRef, FieldTitle, FieldAssignee, FieldDue, FieldPriority, FieldKind, FieldRelease, FieldPhase, FieldStatus, FieldEstimate, FieldSite}

// readFields are the fields a column can give: Fields and the resolution.
var readFields = append(slices.Clone(Fields), FieldResolution)

var required = []string{FieldRef, FieldTitle}

// headers are the column names recognised out of the box, as headerKey
// writes them: ServiceNow's field names (short_description) are its
// labels (Short description) in this form.
var headers = map[string]string{
	"ref": FieldRef, "number": FieldRef, "issue key": FieldRef, "key": FieldRef, "ticket": FieldRef,
	"title": FieldTitle, "short description": FieldTitle, "summary": FieldTitle,
	"assignee": FieldAssignee, "assigned to": FieldAssignee,
	"due": FieldDue, "due date": FieldDue,
	"priority": FieldPriority,
	"kind":     FieldKind,
	"release":  FieldRelease,
	"phase":    FieldPhase,
	"status":   FieldStatus, "state": FieldStatus,
	"estimate":   FieldEstimate,
	"resolution": FieldResolution,
	"site":       FieldSite, "location": FieldSite, "campus": FieldSite, "facility": FieldSite, "hospital": FieldSite,
}

// headerKey is how a header is looked up in headers: lower case, _ as a
// space, runs of space as one.
func headerKey(h string) string {
	return strings.Join(strings.Fields(strings.ToLower(strings.ReplaceAll(h, "_", " "))), " ")
}

// Mapping names the file's column for a task field: title → "Short description".
type Mapping map[string]string

// ParseMapping reads "title=Short description,due=Due date".
func ParseMapping(s string) (Mapping, error) {
	m := Mapping{}
	for _, part := range strings.Split(s, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		if err := m.add(part); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// ReadMapping reads a mapping file: one field=Column a line; blank lines
// and lines starting with # are skipped.
func ReadMapping(r io.Reader) (Mapping, error) {
	m := Mapping{}
	err := eachLine(r, func(n int, line string) error {
		if err := m.add(line); err != nil {
			return upgradebot.Errorf(upgradebot.EINVALID, "mapping line %d: %s", n, upgradebot.ErrorMessage(err))
		}
		return nil
	})
	return m, err
}

func (m Mapping) add(part string) error {
	field, col, ok := strings.Cut(part, "=")
	field, col = strings.ToLower(strings.TrimSpace(field)), strings.TrimSpace(col)
	if !ok || col == "" {
		return upgradebot.Errorf(upgradebot.EINVALID, "%q is not field=Column, e.g. title=Short description", part)
	}
	if !slices.Contains(readFields, field) {
		return upgradebot.Errorf(upgradebot.EINVALID, "%q is not a task field; the fields are %s", field, strings.Join(readFields, ", "))
	}
	m[field] = col
	return nil
}

// ReadUsers reads a users file: one name=U… a line (a ticket system's name
// for a person, and their Slack user id); blank lines and # comments are
// skipped. Names match in any case.
func ReadUsers(r io.Reader) (map[string]string, error) {
	users := map[string]string{}
	err := eachLine(r, func(n int, line string) error {
		name, id, ok := strings.Cut(line, "=")
		name, id = strings.TrimSpace(name), strings.TrimSpace(id)
		if !ok || name == "" || !upgradebot.ValidUserID(id) {
			return upgradebot.Errorf(upgradebot.EINVALID, "users line %d: %q is not name=U0123ABCD (a Slack user id)", n, line)
		}
		users[strings.ToLower(name)] = id
		return nil
	})
	return users, err
}

func eachLine(r io.Reader, f func(n int, line string) error) error {
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := f(n, line); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("taskcsv: read: %w", err)
	}
	return nil
}

// Options tune Read.
type Options struct {
	Map Mapping // explicit columns; wins over recognised headers
	// Users maps a person's name in the file (any case) to their Slack
	// user id. An assignee that is neither a user id nor in Users is a bad
	// row.
	Users map[string]string
	// Comma is the delimiter: ',', ';' or '\t'. 0 reads it from the file.
	Comma rune
	// DateOrder reads dates like 12/5/2026; the zero order reads them
	// month first unless the file shows otherwise (see MonthFirst).
	DateOrder DateOrder
	// Sites are the team's sites: a site (or location) cell names one by
	// key or by name, in any case. A cell that names none is a bad row.
	Sites []upgradebot.Site
	// PHI, when set, checks each open ticket's title and ref for patient
	// identifiers: a match is a bad row (its line and the kind, never the
	// value) and is listed in Result.Refused.
	PHI *upgradebot.PHIGuard
}

// Result is a file read into tasks.
type Result struct {
	// Tasks are the file's tickets, in file order: open ones to import,
	// and closed ones (status done or cancelled), which carry only their
	// ref, title and status: an import creates no task for them, but may
	// close the task of their ref (upgradebot.ImportOptions.Update).
	Tasks []*upgradebot.Task
	Lines []int // the line of each task in the file
	// Columns is the column each field was read from.
	Columns map[string]string
	// Ignored are the file's columns that give no field.
	Ignored []string
	// Closed are the lines whose status (or resolution) says the ticket
	// is closed: done, resolved, closed, cancelled, won't do...
	Closed []int
	// Comma is the delimiter the file was read with.
	Comma rune
	// DateOrder is how dates like 12/5/2026 were read, and Ambiguous how
	// many due dates read differently in the other order (0: the order
	// changed nothing).
	DateOrder DateOrder
	Ambiguous int
	// Refused are the rows refused for patient identifiers (Options.PHI),
	// by line: where and what kind, never the value. They are also among
	// Read's bad rows; an import records them in the audit trail.
	Refused []upgradebot.PHIRefusal
}

// Line returns the file line of the i-th task (0-based), or 0.
func (r *Result) Line(i int) int {
	if i < 0 || i >= len(r.Lines) {
		return 0
	}
	return r.Lines[i]
}

// Delimiter names the delimiter the file was read with: comma, semicolon
// or tab.
func (r *Result) Delimiter() string { return delimiterName(r.Comma) }

// maxBadRows is how many bad rows an error quotes; the lines of the rest
// are listed.
const maxBadRows = 50

// Read reads a CSV export with a header line. Every row is read: if any is
// bad, the error (EINVALID) names each bad row's line and what is wrong
// with it, and no tasks are returned. Every ticket needs a ref, unique in
// the file, except closed ones, which are skipped without one.
func Read(r io.Reader, opts Options) (*Result, error) {
	res := &Result{Columns: map[string]string{}, Comma: opts.Comma}
	cr, skipped, err := newReader(r, res)
	if err != nil {
		return nil, err
	}
	head, err := cr.Read()
	if err != nil {
		return nil, csvError(err, skipped)
	}
	for i, h := range head {
		head[i] = text(h)
	}
	index, err := columns(head, opts.Map, res)
	if err != nil {
		return nil, err
	}

	type row struct {
		line int
		rec  []string
	}
	var rows []row
	var bad []badRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			bad = append(bad, badRow{pe.StartLine + skipped, pe.Err.Error()})
			continue // the reader goes on at the next line
		} else if err != nil {
			return nil, fmt.Errorf("taskcsv: read: %w", err)
		}
		line, _ := cr.FieldPos(0)
		rows = append(rows, row{line + skipped, rec})
	}

	get := func(rec []string, field string) string {
		if i, ok := index[field]; ok && i < len(rec) {
			return unneutralise(strings.TrimSpace(text(rec[i])))
		}
		return ""
	}
	res.DateOrder = opts.DateOrder
	if _, ok := index[FieldDue]; ok {
		dues := make([]string, len(rows))
		for i, r := range rows {
			dues[i] = get(r.rec, FieldDue)
		}
		inferred, n := inferOrder(dues)
		if res.DateOrder == "" {
			res.DateOrder = inferred
		}
		res.Ambiguous = n
	}
	res.DateOrder = res.DateOrder.orDefault()

	lineOf := map[string]int{}
	for _, r := range rows {
		if slices.IndexFunc(r.rec, func(s string) bool { return strings.TrimSpace(s) != "" }) < 0 {
			continue // a blank line at the end of a spreadsheet export
		}
		if len(r.rec) != len(head) {
			bad = append(bad, badRow{r.line, fmt.Sprintf("wrong number of fields: %d, and the header has %d (is the delimiter %s?)", len(r.rec), len(head), delimiterName(res.Comma))})
			continue
		}
		get := func(field string) string { return get(r.rec, field) }
		status := statusOf(get(FieldStatus), get(FieldResolution))
		var t *upgradebot.Task
		if status != upgradebot.StatusOpen {
			res.Closed = append(res.Closed, r.line)
			if t = closedTask(get, status); t == nil {
				continue // nothing to match it to: skipped, as before
			}
			// Only its ref is kept, to match a task: that is checked.
			if msg, refused := res.refuse(opts.PHI, r.line, t, upgradebot.PHIText{Field: "ref", Text: t.Ref}); refused {
				bad = append(bad, badRow{r.line, msg})
				continue
			}
		} else {
			var problems []string
			t, problems = task(get, opts.Users, res.DateOrder)
			if site, err := siteOf(get(FieldSite), opts.Sites); err != nil {
				problems = append(problems, upgradebot.ErrorMessage(err))
			} else {
				t.Site = site
			}
			if msg, refused := res.refuse(opts.PHI, r.line, t,
				upgradebot.PHIText{Field: "title", Text: t.Title}, upgradebot.PHIText{Field: "ref", Text: t.Ref}); refused {
				problems = append(problems, msg)
			}
			if len(problems) > 0 {
				bad = append(bad, badRow{r.line, strings.Join(problems, "; ")})
				continue
			}
		}
		if prev, ok := lineOf[t.Ref]; ok {
			bad = append(bad, badRow{r.line, fmt.Sprintf("ref %s is also on line %d; each ticket once", t.Ref, prev)})
			continue
		}
		lineOf[t.Ref] = r.line
		res.Tasks = append(res.Tasks, t)
		res.Lines = append(res.Lines, r.line)
	}
	if len(bad) > 0 {
		return res.refusedOnly(), badRowsError(bad)
	}
	return res, nil
}

// refuse checks texts of the row on line for patient identifiers with g
// (nil: not checked): a match is recorded in r.Refused and its message,
// which never holds the text, returned.
func (r *Result) refuse(g *upgradebot.PHIGuard, line int, t *upgradebot.Task, texts ...upgradebot.PHIText) (string, bool) {
	if g == nil {
		return "", false
	}
	err := g.RefuseAll("task", 0, t.PHIContext(), texts...)
	var pe *upgradebot.PHIError
	if !errors.As(err, &pe) {
		return "", false
	}
	pe.Refusal.Line = line
	r.Refused = append(r.Refused, pe.Refusal)
	return upgradebot.ErrorMessage(err), true
}

// refusedOnly is what Read returns with its error: nothing to import, but
// the rows refused for patient identifiers, so the refusals can be
// recorded. nil when there are none.
func (r *Result) refusedOnly() *Result {
	if len(r.Refused) == 0 {
		return nil
	}
	return &Result{Refused: r.Refused}
}

// siteOf reads a site cell: "" is no site, else the key of the site with
// that key or name, in any case.
func siteOf(cell string, sites []upgradebot.Site) (string, error) {
	cell = strings.TrimSpace(cell)
	if cell == "" {
		return "", nil
	}
	for _, s := range sites {
		if strings.EqualFold(s.Key, cell) || strings.EqualFold(s.Name, cell) {
			return s.Key, nil
		}
	}
	if len(sites) == 0 {
		return "", upgradebot.Errorf(upgradebot.EINVALID, "site %q: the team has no sites; an admin adds them with /upgrade config sites add", clip(cell))
	}
	return "", upgradebot.Errorf(upgradebot.EINVALID, "site %q is none of the team's sites (%s)", clip(cell), upgradebot.Settings{Sites: sites}.SiteKeys())
}

// newReader reads the first line to choose the delimiter (unless
// res.Comma is set), which it records in res, and returns a CSV reader
// positioned at the header and the number of lines before it: 1 after
// Excel's "sep=;" line, else 0.
func newReader(r io.Reader, res *Result) (*csv.Reader, int, error) {
	br := bufio.NewReader(r)
	first, err := br.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, 0, fmt.Errorf("taskcsv: read: %w", err)
	}
	first = strings.TrimPrefix(first, "\ufeff") // Excel's byte-order mark
	skipped := 0
	if c, ok := excelSep(first); ok {
		if res.Comma == 0 {
			res.Comma = c
		}
		if first, err = br.ReadString('\n'); err != nil && !errors.Is(err, io.EOF) {
			return nil, 0, fmt.Errorf("taskcsv: read: %w", err)
		}
		skipped = 1
	}
	if strings.TrimSpace(first) == "" {
		return nil, 0, upgradebot.Errorf(upgradebot.EINVALID, "the file is empty; it needs a header line")
	}
	if res.Comma == 0 {
		res.Comma = detectDelimiter(first)
	}
	cr := csv.NewReader(io.MultiReader(strings.NewReader(first), br))
	cr.Comma = res.Comma
	cr.FieldsPerRecord = -1 // a short row is a bad row, reported with the rest
	// Leading space before a quote is allowed, but not for tabs: the reader
	// would take an empty field's tab as space.
	cr.TrimLeadingSpace = res.Comma != '\t'
	return cr, skipped, nil
}

// badRow is a line of the file and what is wrong with it.
type badRow struct {
	line int
	msg  string
}

// badRowsError reports every bad row: each of the first maxBadRows with
// what is wrong, the lines of the rest after them.
func badRowsError(bad []badRow) error {
	slices.SortStableFunc(bad, func(a, b badRow) int { return a.line - b.line })
	if len(bad) == 1 {
		return upgradebot.Errorf(upgradebot.EINVALID, "line %d: %s", bad[0].line, bad[0].msg)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d bad rows; nothing is imported until each reads:", len(bad))
	for _, r := range bad[:min(len(bad), maxBadRows)] {
		fmt.Fprintf(&b, "\n  line %d: %s", r.line, r.msg)
	}
	if len(bad) > maxBadRows {
		var lines []int
		for _, r := range bad[maxBadRows:] {
			lines = append(lines, r.line)
		}
		fmt.Fprintf(&b, "\n  and %d more, on lines %s", len(lines), lineRanges(lines))
	}
	return upgradebot.Errorf(upgradebot.EINVALID, "%s", b.String())
}

// lineRanges writes sorted line numbers with runs as ranges: "7-9, 12".
func lineRanges(lines []int) string {
	var parts []string
	for i := 0; i < len(lines); {
		j := i
		for j+1 < len(lines) && lines[j+1] <= lines[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d-%d", lines[i], lines[j]))
		} else {
			parts = append(parts, fmt.Sprint(lines[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

// csvError reports a header that does not read as CSV; skipped lines
// came before it.
func csvError(err error, skipped int) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return upgradebot.Errorf(upgradebot.EINVALID, "line %d: %v", pe.StartLine+skipped, pe.Err)
	}
	if errors.Is(err, io.EOF) {
		return upgradebot.Errorf(upgradebot.EINVALID, "the file is empty; it needs a header line")
	}
	return fmt.Errorf("taskcsv: read: %w", err)
}

// columns matches the header to fields, filling res.Columns and res.Ignored.
func columns(head []string, m Mapping, res *Result) (map[string]int, error) {
	quoted := make([]string, len(head))
	for i, h := range head {
		quoted[i] = fmt.Sprintf("%q", h)
	}
	index := map[string]int{}
	used := map[int]bool{}
	for _, field := range readFields {
		col, ok := m[field]
		if !ok {
			continue
		}
		i := slices.IndexFunc(head, func(h string) bool { return strings.EqualFold(strings.TrimSpace(h), col) })
		if i < 0 {
			return nil, upgradebot.Errorf(upgradebot.EINVALID, "the mapping %s=%s names no column of the file; its columns are %s", field, col, strings.Join(quoted, ", "))
		}
		index[field], used[i] = i, true
	}
	for i, h := range head {
		field, ok := headers[headerKey(h)]
		if !ok || used[i] {
			continue
		}
		if _, mapped := m[field]; mapped {
			continue // the mapping chose another column for it
		}
		if j, dup := index[field]; dup {
			return nil, upgradebot.Errorf(upgradebot.EINVALID, "columns %q and %q both give the %s; choose one with -map %s=COLUMN", head[j], h, field, field)
		}
		index[field], used[i] = i, true
	}
	for i, h := range head {
		if !used[i] {
			res.Ignored = append(res.Ignored, h)
		}
	}
	var missing, hint []string
	for _, field := range required {
		if _, ok := index[field]; !ok {
			missing, hint = append(missing, "the "+field), append(hint, field+"=COLUMN")
		}
	}
	if len(missing) > 0 {
		unknown := "none"
		if len(res.Ignored) > 0 {
			q := make([]string, len(res.Ignored))
			for i, h := range res.Ignored {
				q[i] = fmt.Sprintf("%q", h)
			}
			unknown = strings.Join(q, ", ")
		}
		return nil, upgradebot.Errorf(upgradebot.EINVALID, "no column gives %s; the columns I do not know are %s; map them with -map %s",
			strings.Join(missing, " or "), unknown, strings.Join(hint, ","))
	}
	for field, i := range index {
		res.Columns[field] = head[i]
	}
	return index, nil
}

// task builds and checks the task of an open ticket's row, with every
// problem it has.
func task(get func(string) string, users map[string]string, order DateOrder) (*upgradebot.Task, []string) {
	t := &upgradebot.Task{Ref: get(FieldRef), Title: get(FieldTitle), Release: get(FieldRelease),
		Phase: upgradebot.Phase(strings.ToLower(get(FieldPhase))), Kind: upgradebot.TaskKind(strings.ToLower(get(FieldKind)))}
	var problems []string
	check := func(err error) {
		if err != nil {
			problems = append(problems, upgradebot.ErrorMessage(err))
		}
	}
	if t.Ref == "" {
		problems = append(problems, "no ref (ticket number); it is the key that makes importing twice safe")
	}
	check(upgradebot.ValidateTitle("title", t.Title))
	var err error
	t.Assignee, err = assignee(get(FieldAssignee), users)
	check(err)
	t.Due, err = parseDue(get(FieldDue), order)
	check(err)
	t.Priority, err = priority(get(FieldPriority))
	check(err)
	if e := get(FieldEstimate); e != "" {
		t.Estimate, err = upgradebot.ParseEstimate(e)
		check(err)
	}
	if t.Kind != "" && !slices.Contains(upgradebot.TaskKinds, t.Kind) {
		problems = append(problems, fmt.Sprintf("kind %q is not one of upgrade, maintenance, cleanup", clip(string(t.Kind))))
	}
	if len(problems) == 0 {
		check(t.Validate())
	}
	return t, problems
}

// closedTask is the task of a closed ticket's row: its ref, title and
// status, all an import needs to close the task of its ref. Nothing else of
// the row is read, so an old ticket's departed assignee or odd date does
// not stop the import. nil if the row has no ref that could match a task.
func closedTask(get func(string) string, status upgradebot.TaskStatus) *upgradebot.Task {
	t := &upgradebot.Task{Ref: get(FieldRef), Title: get(FieldTitle), Status: status}
	if upgradebot.ValidateTitle("title", t.Title) != nil {
		t.Title = "(closed ticket)"
	}
	if t.Ref == "" || t.Validate() != nil {
		return nil
	}
	return t
}

func assignee(s string, users map[string]string) (string, error) {
	if s == "" {
		return "", nil
	}
	id := strings.TrimSuffix(strings.TrimPrefix(s, "<@"), ">")
	if upgradebot.ValidUserID(id) {
		return id, nil
	}
	if id, ok := users[strings.ToLower(strings.TrimPrefix(s, "@"))]; ok {
		return id, nil
	}
	return "", upgradebot.Errorf(upgradebot.EINVALID, "assignee %q is not a Slack user id (U…); add a line %s=U… to the -users file", s, s)
}

// priority reads our priorities, ServiceNow's ("1 - Critical" to
// "5 - Planning") and Jira's (Highest to Lowest).
func priority(s string) (upgradebot.Priority, error) {
	v := strings.ToLower(s)
	if n, _, ok := strings.Cut(v, " - "); ok && len(n) == 1 && n[0] >= '1' && n[0] <= '5' {
		v = n // ServiceNow's number says it all
	}
	switch v {
	case "":
		return "", nil
	case "high", "highest", "critical", "urgent", "1", "2":
		return upgradebot.PriorityHigh, nil
	case "normal", "medium", "moderate", "3":
		return upgradebot.PriorityNormal, nil
	case "low", "lowest", "planning", "4", "5":
		return upgradebot.PriorityLow, nil
	}
	return "", upgradebot.Errorf(upgradebot.EINVALID, "priority %q is not one I know: high, normal, low, ServiceNow's 1 - Critical to 5 - Planning or Jira's Highest to Lowest", s)
}

// statusOf reads a ticket's status, and Jira's resolution, as a task
// status. A resolution other than "Unresolved" closes the ticket, as in
// Jira; then, or for a closed status, words of giving up (cancelled, won't
// do, duplicate, rejected, ServiceNow's Closed Incomplete and Closed
// Skipped) mean cancelled, anything else done. Any other status is open.
func statusOf(status, resolution string) upgradebot.TaskStatus {
	s, r := strings.ToLower(status), strings.ToLower(resolution)
	closed := r != "" && r != "unresolved" && r != "none"
	switch {
	case s == "done", s == "resolved", s == "fixed", s == "cancelled", s == "canceled",
		strings.HasPrefix(s, "closed"), strings.HasPrefix(s, "complete"), strings.HasPrefix(s, "cancel"),
		strings.HasPrefix(s, "won't"), strings.HasPrefix(s, "wont"), s == "rejected", s == "withdrawn", s == "declined":
		closed = true
	}
	if !closed {
		return upgradebot.StatusOpen
	}
	for _, v := range []string{s, r} {
		for _, w := range []string{"cancel", "won't", "wont", "duplicate", "reject", "withdrawn", "declined", "cannot reproduce", "incomplete", "skipped", "abandon", "obsolete"} {
			if strings.Contains(v, w) {
				return upgradebot.StatusCancelled
			}
		}
	}
	return upgradebot.StatusDone
}

// RefPrefix starts the ref Write gives a task that has none: UB-12 for
// task #12.
const RefPrefix = "UB-"

// Write writes tasks as CSV with a header of Fields and their id last
// (which Read ignores), so that a file written here imports again. Every
// row has a ref: a task without one is written with RefPrefix and its id
// (UB-12), or, should that be another task's ref, UB-12-2 (then -3...). A
// cell a spreadsheet would run as a formula (one starting with =, +, -, @,
// tab or CR) is written after an apostrophe, which Read removes again.
func Write(w io.Writer, tasks []*upgradebot.Task) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(append(slices.Clone(Fields), "id")); err != nil {
		return fmt.Errorf("taskcsv: write: %w", err)
	}
	taken := make(map[string]bool, len(tasks))
	for _, t := range tasks {
		taken[t.Ref] = true
	}
	for _, t := range tasks {
		ref := t.Ref
		if ref == "" {
			ref = fmt.Sprintf("%s%d", RefPrefix, t.ID)
			for n := 2; taken[ref]; n++ {
				ref = fmt.Sprintf("%s%d-%d", RefPrefix, t.ID, n)
			}
			taken[ref] = true
		}
		est := ""
		if t.Estimate > 0 {
			est = upgradebot.FormatEffort(t.Estimate)
		}
		rec := []string{ref, t.Title, t.Assignee, t.Due.String(), string(t.Priority), string(t.Kind), t.Release, string(t.Phase), string(t.Status), est, t.Site, fmt.Sprint(t.ID)}
		for i := range rec {
			rec[i] = neutralise(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("taskcsv: write: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("taskcsv: write: %w", err)
	}
	return nil
}
