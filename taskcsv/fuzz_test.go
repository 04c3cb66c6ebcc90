package taskcsv

import (
	"strings"
	"testing"

	"github.com/upgradebot/upgradebot"
)

// FuzzRead: any file is read into valid tasks, each with its line, or
// refused with EINVALID naming what is wrong; never a panic.
//
//	go test ./taskcsv -run '^$' -fuzz FuzzRead -fuzztime 60s
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		serviceNow, jira,
		"ref,title,release,phase\nA-1,Build,medcore-2027.1,build\n",
		"ref,title,due\nA-1,\"Two\nlines\",x\n",
		"ref,title\n,\n", "\ufeff", "a\"b,c\n",
	} {
		f.Add(s)
	}
	users := map[string]string{"priya patel": "U0PRIYA", "u0dana": "U0DANA"}
	f.Fuzz(func(t *testing.T, s string) {
		res, err := Read(strings.NewReader(s), Options{Users: users})
		if err != nil {
			if upgradebot.ErrorCode(err) != upgradebot.EINVALID {
				t.Fatalf("Read(%q) = %v, want EINVALID", s, err)
			}
			return
		}
		if len(res.Lines) != len(res.Tasks) {
			t.Fatalf("%d tasks but %d lines", len(res.Tasks), len(res.Lines))
		}
		for i, task := range res.Tasks {
			if err := task.Validate(); err != nil || task.Ref == "" {
				t.Fatalf("line %d: read an invalid task %+v: %v", res.Lines[i], task, err)
			}
		}
	})
}
