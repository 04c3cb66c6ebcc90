package upgradebot_test

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/upgradebot/upgradebot"

// goFiles returns every .go file in the module, by package directory.
func goFiles(t *testing.T) map[string][]string {
	t.Helper()
	files := map[string][]string{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != "." || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") {
			files[filepath.Dir(path)] = append(files[filepath.Dir(path)], path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestGofmt keeps every file gofmt-clean, so `go test` alone enforces it.
func TestGofmt(t *testing.T) {
	for _, paths := range goFiles(t) {
		for _, path := range paths {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got, err := format.Source(src)
			if err != nil {
				t.Errorf("%s: %v", path, err)
			} else if !bytes.Equal(got, src) {
				t.Errorf("%s is not gofmt-clean; run gofmt -w %s", path, path)
			}
		}
	}
}

// TestLayering checks the dependency rule: the root package uses only the
// standard library; bot/ (the conversation), slack/ (the Slack adapter) and
// scheduler/ use the root package, bot/ never imports slack/, and none of
// them imports store/ or each other otherwise; only slack/ and cmd/ import
// slack-go; only store/ imports a database driver; internal/desktest and
// internal/pgtest are for tests only; only cmd/ wires
// everything. Test files are exempt (their tests run against a real store).
// It also keeps the time rule (see upgradebot.Clock): nothing but
// SystemClock reads the wall clock.
func TestLayering(t *testing.T) {
	const slackGo = "github.com/slack-go/"
	forbidden := map[string][]string{
		".":         {module + "/"},
		"bot":       {module + "/store", module + "/scheduler", module + "/slack", module + "/cmd", slackGo},
		"slack":     {module + "/store", module + "/scheduler", module + "/cmd"},
		"scheduler": {module + "/store", module + "/bot", module + "/slack", module + "/cmd", slackGo},
		"store":     {module + "/bot", module + "/scheduler", module + "/slack", module + "/cmd", slackGo},
		"chart":     {module + "/store", module + "/bot", module + "/scheduler", module + "/slack", module + "/cmd", slackGo},
		"cronspec":  {module + "/store", module + "/bot", module + "/scheduler", module + "/slack", module + "/cmd", slackGo},
		"taskcsv":   {module + "/store", module + "/bot", module + "/scheduler", module + "/slack", module + "/cmd", slackGo},
	}
	for dir, paths := range goFiles(t) {
		top := strings.Split(filepath.ToSlash(dir), "/")[0]
		rules := forbidden[top]
		if dir == "." {
			rules = forbidden["."]
		}
		for _, path := range paths {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				for _, bad := range rules {
					if strings.HasPrefix(p, bad) || (dir == "." && p == module) {
						t.Errorf("%s imports %s: %s may not depend on it", path, p, dir)
					}
				}
				if dir == "." && strings.Contains(p, ".") {
					t.Errorf("%s imports %s: the root package uses only the standard library", path, p)
				}
				if (p == module+"/internal/desktest" || p == module+"/internal/pgtest") && top != "internal" {
					t.Errorf("%s imports %s: only tests may", path, p)
				}
				if (strings.HasPrefix(p, "github.com/jackc/pgx") || strings.HasPrefix(p, "modernc.org/sqlite")) &&
					top != "store" && filepath.ToSlash(dir) != "internal/pgtest" {
					t.Errorf("%s imports %s: only store/ speaks to a database", path, p)
				}
			}
		}
	}
}

// TestTimeRule finds every call that reads the wall clock (time.Now,
// time.Since, time.Until) outside SystemClock: the time comes from the
// injected upgradebot.Clock. Test files are exempt.
func TestTimeRule(t *testing.T) {
	for _, paths := range goFiles(t) {
		for _, path := range paths {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			timePkg := "time"
			for _, imp := range f.Imports {
				if p, _ := strconv.Unquote(imp.Path.Value); p == "time" && imp.Name != nil {
					timePkg = imp.Name.Name
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if fn, ok := n.(*ast.FuncDecl); ok && path == "upgradebot.go" && fn.Name.Name == "Now" && fn.Recv != nil {
					return false // SystemClock.Now: the one place
				}
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == timePkg {
					switch sel.Sel.Name {
					case "Now", "Since", "Until":
						t.Errorf("%s: time.%s: read the time from the upgradebot.Clock", fset.Position(sel.Pos()), sel.Sel.Name)
					}
				}
				return true
			})
		}
	}
}
