// Package taskcsv reads a ticket system's CSV export into tasks and writes
// tasks as CSV that it reads back. It is pure: no database, no clock.
//
// A file's columns are matched to task fields by their headers, ignoring
// case and surrounding space. ServiceNow-style headers (Number, Short
// description, Assigned to, Due date, Priority, State) and Jira-style
// headers (Issue key, Summary, Assignee, Due date, Priority, Status) are
// recognised, as are the field names themselves (ref, title, ...); a
// Mapping names the column of a field explicitly and wins. Columns that
// give no field are ignored and listed in the Result.
package taskcsv

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

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
)

// Fields lists every field, in the order Write writes them.
var Fields = []string{FieldRef, FieldTitle, FieldAssignee, FieldDue, FieldPriority, FieldKind, FieldRelease, FieldPhase, FieldStatus}

var required = []string{FieldRef, FieldTitle}

// headers are the column names recognised out of the box, lower case.
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
	if !slices.Contains(Fields, field) {
		return upgradebot.Errorf(upgradebot.EINVALID, "%q is not a task field; the fields are %s", field, strings.Join(Fields, ", "))
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
}

// Result is a file read into tasks.
type Result struct {
	Tasks []*upgradebot.Task // the open tasks to import, in file order
	Lines []int              // the line of each task in the file
	// Columns is the column each field was read from.
	Columns map[string]string
	// Ignored are the file's columns that give no field.
	Ignored []string
	// Closed are the lines skipped because their status says the ticket is
	// closed (done, resolved, closed, cancelled...).
	Closed []int
}

// Line returns the file line of the i-th task (0-based), or 0.
func (r *Result) Line(i int) int {
	if i < 0 || i >= len(r.Lines) {
		return 0
	}
	return r.Lines[i]
}

// Read reads a CSV export with a header line. The first bad row stops it:
// the error (EINVALID) names its line and what is wrong, and no tasks are
// returned. Every row needs a ref, unique in the file.
func Read(r io.Reader, opts Options) (*Result, error) {
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, upgradebot.Errorf(upgradebot.EINVALID, "the file is empty; it needs a header line")
	} else if err != nil {
		return nil, csvError(err)
	}
	if len(head) > 0 {
		head[0] = strings.TrimPrefix(head[0], "\ufeff") // Excel's byte-order mark
	}
	res := &Result{Columns: map[string]string{}}
	index, err := columns(head, opts.Map, res)
	if err != nil {
		return nil, err
	}
	lineOf := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		get := func(field string) string {
			if i, ok := index[field]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if slices.IndexFunc(rec, func(s string) bool { return strings.TrimSpace(s) != "" }) < 0 {
			continue // a blank line at the end of a spreadsheet export
		}
		if closedStatus(get(FieldStatus)) {
			res.Closed = append(res.Closed, line)
			continue
		}
		t, err := task(get, opts.Users)
		if err != nil {
			return nil, upgradebot.Errorf(upgradebot.EINVALID, "line %d: %s", line, upgradebot.ErrorMessage(err))
		}
		if prev, ok := lineOf[t.Ref]; ok {
			return nil, upgradebot.Errorf(upgradebot.EINVALID, "line %d: ref %s is also on line %d; each ticket once", line, t.Ref, prev)
		}
		lineOf[t.Ref] = line
		res.Tasks = append(res.Tasks, t)
		res.Lines = append(res.Lines, line)
	}
	return res, nil
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return upgradebot.Errorf(upgradebot.EINVALID, "line %d: %v", pe.StartLine, pe.Err)
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
	for _, field := range Fields {
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
		field, ok := headers[strings.ToLower(strings.TrimSpace(h))]
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

// task builds and checks the task of one row.
func task(get func(string) string, users map[string]string) (*upgradebot.Task, error) {
	t := &upgradebot.Task{Ref: get(FieldRef), Title: get(FieldTitle), Release: get(FieldRelease),
		Phase: upgradebot.Phase(strings.ToLower(get(FieldPhase)))}
	if t.Ref == "" {
		return nil, upgradebot.Errorf(upgradebot.EINVALID, "no ref (ticket number); it is the key that makes importing twice safe")
	}
	var err error
	if t.Assignee, err = assignee(get(FieldAssignee), users); err != nil {
		return nil, err
	}
	if t.Due, err = parseDue(get(FieldDue)); err != nil {
		return nil, err
	}
	if t.Priority, err = priority(get(FieldPriority)); err != nil {
		return nil, err
	}
	if k := strings.ToLower(get(FieldKind)); k != "" {
		t.Kind = upgradebot.TaskKind(k)
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return t, nil
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

// parseDue reads 2026-12-05 (a time after it is ignored, as ServiceNow
// writes) or Jira's 5/Dec/26 (with or without a time).
func parseDue(s string) (upgradebot.Date, error) {
	if s == "" {
		return upgradebot.Date{}, nil
	}
	day, _, _ := strings.Cut(s, " ")
	day, _, _ = strings.Cut(day, "T")
	for _, layout := range []string{time.DateOnly, "2/Jan/06", "2/Jan/2006"} {
		if t, err := time.Parse(layout, day); err == nil {
			return upgradebot.DateOf(t), nil
		}
	}
	return upgradebot.Date{}, upgradebot.Errorf(upgradebot.EINVALID, "due %q is not a date like 2026-12-05 (or 5/Dec/26)", s)
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

// closedStatus reports whether a status says the ticket needs no more work.
func closedStatus(s string) bool {
	v := strings.ToLower(s)
	switch {
	case strings.HasPrefix(v, "closed"), strings.HasPrefix(v, "cancel"), strings.HasPrefix(v, "won't"), strings.HasPrefix(v, "complete"):
		return true
	}
	return v == "done" || v == "resolved"
}

// Write writes tasks as CSV with a header of Fields and their id last
// (which Read ignores), so that a file written here imports again.
func Write(w io.Writer, tasks []*upgradebot.Task) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(append(slices.Clone(Fields), "id")); err != nil {
		return fmt.Errorf("taskcsv: write: %w", err)
	}
	for _, t := range tasks {
		rec := []string{t.Ref, t.Title, t.Assignee, t.Due.String(), string(t.Priority), string(t.Kind), t.Release, string(t.Phase), string(t.Status), fmt.Sprint(t.ID)}
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
