package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/taskcsv"
)

// dataConfig holds the flags of import, export and ics.
type dataConfig struct {
	Map        string // import -map: field=Column,...
	Mapping    string // import -mapping FILE
	Users      string // import -users FILE: name=U… lines
	DryRun     bool   // import -dry-run
	Update     bool   // import -update: apply closes and due dates to existing refs
	Delimiter  string // import -delimiter , ; or tab ("": read from the file)
	DateFormat string // import -date-format mdy|dmy, for dates like 12/5/2026
	Format     string // export -format csv|json
	Out        string // export, ics -o FILE ("" or "-": stdout)
}

// dataFlags registers the flags of the data subcommands on fs.
func (m *Main) dataFlags(fs *flag.FlagSet, cmd string) {
	switch cmd {
	case "import":
		fs.StringVar(&m.Data.Map, "map", "", "say which column is which, as `field=Column,...`; fields: ref, title, assignee, due, priority, kind, release, phase, status, estimate")
		fs.StringVar(&m.Data.Mapping, "mapping", "", "read the column mapping from `FILE`, one field=Column a line (-map wins)")
		fs.StringVar(&m.Data.Users, "users", "", "read assignees' Slack ids from `FILE`, one name=U… a line, for names the desk does not know")
		fs.BoolVar(&m.Data.DryRun, "dry-run", false, "say what the import would do and write nothing")
		fs.BoolVar(&m.Data.Update, "update", false, "also apply the ticket system's closes and due dates to tasks whose ref is already there (audited)")
		fs.StringVar(&m.Data.Delimiter, "delimiter", "", "the column `SEPARATOR`: , ; or tab (default: read from the file's header)")
		fs.StringVar(&m.Data.DateFormat, "date-format", "", "read dates like 12/5/2026 in `ORDER` mdy or dmy (default: month first unless the file has a date like 25/12/2026)")
	case "export":
		fs.StringVar(&m.Data.Format, "format", "csv", "`FORMAT` csv (tasks, in the import's columns) or json (tasks and releases)")
		fs.StringVar(&m.Data.Out, "o", "", "write to `FILE` (whole or not at all) instead of standard output")
	case "ics":
		fs.StringVar(&m.Data.Out, "o", "", "write to `FILE` (whole or not at all) instead of standard output")
	case "chart":
		fs.StringVar(&m.Data.Out, "o", "chart.png", "write the PNG to `FILE`; - for standard output")
	}
}

// refuse prints a user-facing error of a data subcommand and returns
// errRefused (exit 1); internal errors are returned as they are.
func (m *Main) refuse(cmd string, err error) error {
	if upgradebot.ErrorCode(err) == upgradebot.EINTERNAL {
		return err
	}
	fmt.Fprintf(m.Stderr, "upgradebot %s: %s\n", cmd, upgradebot.ErrorMessage(err))
	return errRefused
}

// maxImportBytes is the largest file import reads. 20 MB is about 200,000
// tickets (the most the desk imports at once) of a typical export; reading
// it takes about 150 MB of memory.
const maxImportBytes = 20 << 20

// importTasks reads a ticket system's CSV export and imports its open
// tickets as tasks: the desk checks them all first, writing nothing (all
// a dry run does), then stores them a chunk at a time, so that the live bot
// goes on answering; with -update, it also applies the closes and due dates
// of tickets whose tasks are already there. A file over maxImportBytes is
// refused unread.
func (m *Main) importTasks(ctx context.Context, args []string) error {
	if len(args) != 1 {
		return usageError{"import needs one argument: the CSV file, e.g. upgradebot import -dry-run tickets.csv"}
	}
	actor, err := m.user(ctx)
	if err != nil {
		return err
	}
	opts := taskcsv.Options{Map: taskcsv.Mapping{}, Users: map[string]string{}}
	if m.Data.Delimiter != "" {
		if opts.Comma, err = taskcsv.ParseDelimiter(m.Data.Delimiter); err != nil {
			return usageError{"-delimiter: " + upgradebot.ErrorMessage(err)}
		}
	}
	if opts.DateOrder, err = taskcsv.ParseDateOrder(m.Data.DateFormat); err != nil {
		return usageError{"-date-format: " + upgradebot.ErrorMessage(err)}
	}
	if m.Data.Mapping != "" {
		if opts.Map, err = readWith(m.Data.Mapping, taskcsv.ReadMapping); err != nil {
			return m.refuse("import", err)
		}
	}
	if m.Data.Map != "" {
		flagMap, err := taskcsv.ParseMapping(m.Data.Map)
		if err != nil {
			return usageError{"-map: " + upgradebot.ErrorMessage(err)}
		}
		for k, v := range flagMap {
			opts.Map[k] = v
		}
	}
	// People the bot has seen are known by their Slack names; the -users
	// file adds the ticket system's names and wins.
	people, err := m.DB.People(ctx)
	if err != nil {
		return err
	}
	for id, name := range people {
		opts.Users[strings.ToLower(name)] = id
	}
	if m.Data.Users != "" {
		users, err := readWith(m.Data.Users, taskcsv.ReadUsers)
		if err != nil {
			return m.refuse("import", err)
		}
		for k, v := range users {
			opts.Users[k] = v
		}
	}
	// The team's sites name a site column's cells, and every row is
	// checked for patient identifiers before anything is imported.
	settings, err := m.DB.Settings(ctx)
	if err != nil {
		return err
	}
	guard := settings.PHIGuard()
	opts.Sites, opts.PHI = settings.Sites, &guard
	tooLarge := upgradebot.Errorf(upgradebot.EINVALID, "%s is larger than the %d MB one import reads; split it, and import the parts one after the other (each import skips the refs already there).",
		args[0], maxImportBytes>>20)
	if fi, err := os.Stat(args[0]); err == nil && fi.Mode().IsRegular() && fi.Size() > maxImportBytes {
		return m.refuse("import", tooLarge)
	}
	res, err := readWith(args[0], func(r io.Reader) (*taskcsv.Result, error) {
		lr := &io.LimitedReader{R: r, N: maxImportBytes + 1} // a pipe, or a file that grew
		res, err := taskcsv.Read(lr, opts)
		if lr.N == 0 {
			return nil, tooLarge
		}
		return res, err
	})
	if err != nil {
		if res != nil && len(res.Refused) > 0 {
			// Where and what kind, never the value (see PHIRefusal).
			if rerr := m.DB.RecordPHIRefusals(ctx, actor, res.Refused); rerr != nil {
				m.Logger.Error("import: record refusals", "err", rerr)
			}
		}
		return m.refuse("import", fmt.Errorf("%s: %w", args[0], err))
	}
	m.importRead(args[0], res)
	iopts := upgradebot.ImportOptions{DryRun: m.Data.DryRun, Update: m.Data.Update}
	// A progress line only for a person watching a large import.
	f, isFile := m.Stdout.(*os.File)
	progress := isFile && isTerminal(f) && len(res.Tasks) >= 1000
	if progress {
		iopts.Progress = func(done, total int) {
			fmt.Fprintf(m.Stdout, "\rimporting %d/%d tasks (%d%%)", done, total, done*100/max(total, 1))
		}
	}
	out, err := m.DB.ImportTasks(ctx, actor, res.Tasks, iopts)
	if progress {
		fmt.Fprintln(m.Stdout)
	}
	if err != nil {
		return m.refuse("import", fmt.Errorf("%s: %w", args[0], err))
	}
	m.importDone(out)
	m.Logger.Info("import", "file", args[0], "actor", actor, "created", len(out.Created), "updated", len(out.Updated),
		"skipped", len(out.Skipped), "closed", len(out.Closed), "dry_run", m.Data.DryRun)
	return nil
}

// importRead says how the file was read: its tickets, delimiter and
// columns, and how dates like 12/5/2026 were read when that mattered.
func (m *Main) importRead(file string, res *taskcsv.Result) {
	var cols []string
	for _, f := range taskcsv.Fields {
		if c, ok := res.Columns[f]; ok {
			cols = append(cols, fmt.Sprintf("%s=%q", f, c))
		}
	}
	if c, ok := res.Columns[taskcsv.FieldResolution]; ok {
		cols = append(cols, fmt.Sprintf("%s=%q", taskcsv.FieldResolution, c))
	}
	open := 0
	for _, t := range res.Tasks {
		if t.Status == upgradebot.StatusOpen {
			open++
		}
	}
	fmt.Fprintf(m.Stdout, "%s: %d tickets (%d closed), %s-separated; columns %s\n",
		file, open+len(res.Closed), len(res.Closed), res.Delimiter(), strings.Join(cols, ", "))
	if len(res.Ignored) > 0 {
		fmt.Fprintf(m.Stdout, "Ignored columns (no task field): %q\n", res.Ignored)
	}
	if res.Ambiguous > 0 && m.Data.DateFormat == "" {
		fmt.Fprintf(m.Stdout, "%d due dates like 12/5/2026 read as %s; if the file writes %s, import with -date-format %s.\n",
			res.Ambiguous, res.DateOrder.Describe(), res.DateOrder.Other().Describe(), res.DateOrder.Other())
	}
}

// maxListedUpdates is how many changes of an -update import are listed;
// the audit log has them all.
const maxListedUpdates = 20

// importDone says what the import did, or would do on a dry run.
func (m *Main) importDone(out upgradebot.ImportResult) {
	verb, upd, note := "Imported", "updated", ""
	if m.Data.DryRun {
		verb, upd, note = "Dry run: would import", "would update", " Nothing was written."
	}
	line := fmt.Sprintf("%s %s", verb, upgradebot.Plural(len(out.Created), "new task"))
	switch {
	case m.Data.Update:
		line += fmt.Sprintf("; %s %s; %s already there, nothing to change", upd, upgradebot.Plural(len(out.Updated), "task"), upgradebot.Plural(len(out.Skipped), "ref"))
	case len(out.Skipped) > 0:
		line += fmt.Sprintf("; %s already there, skipped (existing tasks left as they are; -update applies the ticket system's closes and due dates)", upgradebot.Plural(len(out.Skipped), "ref"))
	default:
		line += "; 0 refs already there"
	}
	fmt.Fprintf(m.Stdout, "%s.%s\n", line, note)
	for i, u := range out.Updated {
		if i == maxListedUpdates {
			fmt.Fprintf(m.Stdout, "  … and %d more (upgradebot exec \"/upgrade audit\" lists them)\n", len(out.Updated)-i)
			break
		}
		change := fmt.Sprintf("due %s → %s", u.Before.Due.Human(), u.After.Due.Human())
		if u.After.Status != u.Before.Status {
			change = string(u.After.Status) + ", as in the ticket system"
		}
		fmt.Fprintf(m.Stdout, "  #%d %s: %s\n", u.After.ID, u.After.Ref, change)
	}
	if len(out.Closed) > 0 {
		fmt.Fprintf(m.Stdout, "Skipped %s (done, resolved, closed or cancelled).\n", upgradebot.Plural(len(out.Closed), "closed ticket"))
	}
}

// readWith opens path and hands it to read.
func readWith[T any](path string, read func(io.Reader) (T, error)) (T, error) {
	var zero T
	f, err := os.Open(path)
	if err != nil {
		return zero, upgradebot.Errorf(upgradebot.EINVALID, "cannot read %s: %v", path, err)
	}
	defer f.Close()
	return read(f)
}

// exportData writes every task as CSV, or tasks and releases as JSON.
func (m *Main) exportData(ctx context.Context) error {
	if m.Data.Format != "csv" && m.Data.Format != "json" {
		return usageError{fmt.Sprintf("-format: %q is not csv or json", m.Data.Format)}
	}
	tasks, _, err := m.DB.FindTasks(ctx, upgradebot.TaskFilter{})
	if err != nil {
		return err
	}
	return m.writeOut(func(w io.Writer) error {
		if m.Data.Format == "csv" {
			return taskcsv.Write(w, tasks)
		}
		releases, err := m.DB.FindReleases(ctx, upgradebot.ReleaseFilter{})
		if err != nil {
			return err
		}
		out := make([]exportTask, len(tasks))
		for i, t := range tasks {
			out[i] = exportTask{Task: t, EstimateHours: t.Estimate.Hours()}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Tasks    []exportTask          `json:"tasks"`
			Releases []*upgradebot.Release `json:"releases"`
		}{out, releases})
	})
}

// exportTask is a task as the JSON export writes it: the estimate in hours
// ("estimate_hours": 1.5, absent if none), not in time.Duration's
// nanoseconds, so that a spreadsheet or script reads it as it is.
type exportTask struct {
	*upgradebot.Task
	Estimate      *struct{} `json:"estimate,omitempty"` // hides the Task's nanoseconds
	EstimateHours float64   `json:"estimate_hours,omitempty"`
}

// writeICS writes the calendar feed.
func (m *Main) writeICS(ctx context.Context) error {
	events, err := upgradebot.LoadCalendar(ctx, m.DB, m.Clock.Now())
	if err != nil {
		return err
	}
	return m.writeOut(func(w io.Writer) error { return upgradebot.WriteICS(w, upgradebot.CalendarName, events) })
}

// writeOut writes to -o FILE, or stdout. A file is written whole or not
// at all: to a temporary file renamed over it.
func (m *Main) writeOut(write func(io.Writer) error) error {
	if m.Data.Out == "" || m.Data.Out == "-" {
		return write(m.Stdout)
	}
	tmp, err := os.CreateTemp(dirOf(m.Data.Out), ".upgradebot-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", m.Data.Out, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", m.Data.Out, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", m.Data.Out, err)
	}
	if err := os.Rename(tmp.Name(), m.Data.Out); err != nil {
		return fmt.Errorf("write %s: %w", m.Data.Out, err)
	}
	return nil
}

func dirOf(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[:i+1]
	}
	return "."
}
