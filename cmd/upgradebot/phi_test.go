package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/internal/desktest"
	"github.com/upgradebot/upgradebot/store"
)

// TestImportPHI runs the shared table through an import: every row the
// guard refuses is named by its line with the reason, nothing is imported,
// each refusal is in the audit trail by line and kind without the value,
// and nothing the command prints repeats the numbers. The rows it passes
// then import.
func TestImportPHI(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "phi.db")
	env := map[string]string{"UPGRADEBOT_DB": dbPath}
	write := func(name string, refused bool) (string, map[int]desktest.PHICase) {
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		w := csv.NewWriter(f)
		w.Write([]string{"Number", "Short description", "Kind"})
		lines := map[int]desktest.PHICase{}
		for i, c := range desktest.PHICases {
			if !refused && c.Kind != "" {
				continue
			}
			kind := "upgrade"
			if c.Cleanup {
				kind = "cleanup"
			}
			w.Write([]string{fmt.Sprintf("INC%07d", i+1), c.Text, kind})
			lines[len(lines)+2] = c
		}
		w.Flush()
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		return path, lines
	}

	all, lines := write("all.csv", true)
	code, out, stderr := runMain(t, env, "", "import", "-as", "U0DANA", all)
	if code != 1 || countTasks(t, dbPath) != 0 {
		t.Fatalf("exit %d with %d tasks imported\n%s%s", code, countTasks(t, dbPath), out, stderr)
	}
	refused := 0
	for line, c := range lines {
		prefix := fmt.Sprintf("line %d: ", line)
		if c.Kind == "" {
			if strings.Contains(stderr, prefix) {
				t.Errorf("%s: line %d refused\n%s", c.Desc, line, stderr)
			}
			continue
		}
		refused++
		if !strings.Contains(stderr, prefix+"the title holds") || !strings.Contains(stderr, c.Kind.Human()) {
			t.Errorf("%s: no refusal of line %d in\n%s", c.Desc, line, stderr)
		}
	}
	if !strings.Contains(stderr, fmt.Sprintf("%d bad rows; nothing is imported until each reads:", refused)) {
		t.Errorf("stderr:\n%s", stderr)
	}
	for _, run := range desktest.PHIDigits() {
		if strings.Contains(stderr+out, run) {
			t.Errorf("the import's report holds %q", run)
		}
	}
	db, err := store.Open(t.Context(), dbPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.FindAudit(t.Context(), upgradebot.AuditFilter{Entity: "phi", Limit: 1000})
	db.Close()
	if err != nil || len(rows) != refused {
		t.Fatalf("%d refusals audited, %v; want %d", len(rows), err, refused)
	}
	for _, r := range rows {
		var got upgradebot.PHIRefusal
		if err := json.Unmarshal([]byte(r.After), &got); err != nil {
			t.Fatal(err)
		}
		c, ok := lines[got.Line]
		if r.Action != "phi.refused" || r.Actor != "U0DANA" || !ok || c.Kind != got.Kind || got.Field != "title" {
			t.Errorf("refusal %+v: %+v", r, got)
		}
		for _, run := range desktest.PHIDigits() {
			if strings.Contains(r.After, run) {
				t.Errorf("the refusal %q holds %q", r.After, run)
			}
		}
	}

	// The rows it passes import.
	fine, fineLines := write("fine.csv", false)
	if code, out, stderr := runMain(t, env, "", "import", fine); code != 0 || countTasks(t, dbPath) != len(fineLines) {
		t.Errorf("exit %d, %d tasks\n%s%s", code, countTasks(t, dbPath), out, stderr)
	}
}

// TestImportSites: a site (or location) column names the team's sites by
// key or name; anything else is a bad row.
func TestImportSites(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"UPGRADEBOT_DB": filepath.Join(dir, "sites.db"), "UPGRADEBOT_ADMINS": "U0DANA"}
	if code, _, stderr := runMain(t, env, "", "exec", "-as", "U0DANA", `config sites add north "North Campus"`); code != 0 {
		t.Fatal(stderr)
	}
	file := filepath.Join(dir, "sites.csv")
	write := func(body string) {
		if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("Number,Short description,Location\nCHG1,Swap printers,North Campus\nCHG2,Patch,\nCHG3,Train,West Wing\n")
	code, _, stderr := runMain(t, env, "", "import", file)
	if code != 1 || !strings.Contains(stderr, `line 4: site "West Wing" is none of the team's sites (north)`) {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	write("Number,Short description,Location\nCHG1,Swap printers,North Campus\nCHG2,Patch,\nCHG3,Train,NORTH\n")
	if code, out, stderr := runMain(t, env, "", "import", file); code != 0 || !strings.Contains(out, `site="Location"`) {
		t.Fatalf("exit %d\n%s%s", code, out, stderr)
	}
	_, out, _ := runMain(t, env, "", "exec", "list site:north")
	if !strings.Contains(out, "Swap printers") || !strings.Contains(out, "Train") || strings.Contains(out, "Patch") {
		t.Errorf("list site:north:\n%s", out)
	}
}
