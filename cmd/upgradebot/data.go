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
	"github.com/upgradebot/upgradebot/bot"
	"github.com/upgradebot/upgradebot/taskcsv"
)

// dataConfig holds the flags of import, export and ics.
type dataConfig struct {
	Map     string // import -map: field=Column,...
	Mapping string // import -mapping FILE
	Users   string // import -users FILE: name=U… lines
	DryRun  bool   // import -dry-run
	Format  string // export -format csv|json
	Out     string // export, ics -o FILE ("" or "-": stdout)
}

// dataFlags registers the flags of the data subcommands on fs.
func (m *Main) dataFlags(fs *flag.FlagSet, cmd string) {
	switch cmd {
	case "import":
		fs.StringVar(&m.Data.Map, "map", "", "")
		fs.StringVar(&m.Data.Mapping, "mapping", "", "")
		fs.StringVar(&m.Data.Users, "users", "", "")
		fs.BoolVar(&m.Data.DryRun, "dry-run", false, "")
	case "export":
		fs.StringVar(&m.Data.Format, "format", "csv", "")
		fs.StringVar(&m.Data.Out, "o", "", "")
	case "ics":
		fs.StringVar(&m.Data.Out, "o", "", "")
	case "chart":
		fs.StringVar(&m.Data.Out, "o", "chart.png", "")
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

// importTasks reads a ticket system's CSV export and imports its open
// tickets as tasks, all in one transaction.
func (m *Main) importTasks(ctx context.Context, args []string) error {
	if len(args) != 1 {
		return usageError{"import needs one argument: the CSV file, e.g. upgradebot import -dry-run tickets.csv"}
	}
	actor, err := m.user(ctx)
	if err != nil {
		return err
	}
	opts := taskcsv.Options{Map: taskcsv.Mapping{}, Users: map[string]string{}}
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
	res, err := readWith(args[0], func(r io.Reader) (*taskcsv.Result, error) { return taskcsv.Read(r, opts) })
	if err != nil {
		return m.refuse("import", fmt.Errorf("%s: %w", args[0], err))
	}
	var cols []string
	for _, f := range taskcsv.Fields {
		if c, ok := res.Columns[f]; ok {
			cols = append(cols, fmt.Sprintf("%s=%q", f, c))
		}
	}
	fmt.Fprintf(m.Stdout, "%s: %d tickets; columns %s\n", args[0], len(res.Tasks), strings.Join(cols, ", "))
	if len(res.Ignored) > 0 {
		fmt.Fprintf(m.Stdout, "Ignored columns (no task field): %q\n", res.Ignored)
	}
	if len(res.Closed) > 0 {
		fmt.Fprintf(m.Stdout, "Skipped %d closed tickets (done, resolved, closed or cancelled).\n", len(res.Closed))
	}
	iopts := upgradebot.ImportOptions{DryRun: m.Data.DryRun}
	// A progress line only for a person watching a large import.
	f, isFile := m.Stdout.(*os.File)
	progress := isFile && isTerminal(f) && len(res.Tasks)-len(res.Closed) >= 1000
	if progress {
		iopts.Progress = func(done, total int) {
			fmt.Fprintf(m.Stdout, "\rimporting %d/%d tasks (%d%%)", done, total, done*100/max(total, 1))
		}
	}
	var open []*upgradebot.Task
	for _, t := range res.Tasks {
		if t.Status == upgradebot.StatusOpen {
			open = append(open, t)
		}
	}
	out, err := m.DB.ImportTasks(ctx, actor, open, iopts)
	if progress {
		fmt.Fprintln(m.Stdout)
	}
	if err != nil {
		return m.refuse("import", fmt.Errorf("%s: %w", args[0], err))
	}
	verb, note := "Imported", ""
	if m.Data.DryRun {
		verb, note = "Dry run: would import", " Nothing was written."
	}
	fmt.Fprintf(m.Stdout, "%s %d new tasks; %d refs already there, skipped (existing tasks left as they are).%s\n",
		verb, len(out.Created), len(out.Skipped), note)
	m.Logger.Info("import", "file", args[0], "actor", actor, "created", len(out.Created), "skipped", len(out.Skipped), "dry_run", m.Data.DryRun)
	return nil
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
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Tasks    []*upgradebot.Task    `json:"tasks"`
			Releases []*upgradebot.Release `json:"releases"`
		}{tasks, releases})
	})
}

// writeICS writes the calendar feed.
func (m *Main) writeICS(ctx context.Context) error {
	events, err := upgradebot.LoadCalendar(ctx, m.DB, m.Clock.Now())
	if err != nil {
		return err
	}
	return m.writeOut(func(w io.Writer) error { return upgradebot.WriteICS(w, bot.CalendarName, events) })
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
