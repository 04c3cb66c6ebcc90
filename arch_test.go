package upgradebot_test

import (
	"bytes"
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
// standard library; bot/ and scheduler/ use the root package and never each
// other or store/; only cmd/ wires everything. Test files are exempt (bot's
// tests run against a real store).
func TestLayering(t *testing.T) {
	forbidden := map[string][]string{
		".":         {module + "/"},
		"bot":       {module + "/store", module + "/scheduler", module + "/cmd"},
		"scheduler": {module + "/store", module + "/bot", module + "/cmd"},
		"store":     {module + "/bot", module + "/scheduler", module + "/cmd"},
		"chart":     {module + "/store", module + "/bot", module + "/scheduler", module + "/cmd"},
		"cronspec":  {module + "/store", module + "/bot", module + "/scheduler", module + "/cmd"},
	}
	for dir, paths := range goFiles(t) {
		top := strings.Split(filepath.ToSlash(dir), "/")[0]
		rules, ok := forbidden[top]
		if dir == "." {
			rules, ok = forbidden["."], true
		}
		if !ok {
			continue
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
			}
		}
	}
}
