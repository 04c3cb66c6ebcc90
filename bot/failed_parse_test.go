package bot

// The failed-message lines join parseTests, so TestParse,
// TestParseCoversSpecs and the seeds of FuzzParse cover them.
func init() {
	parseTests = append(parseTests, []struct {
		desc string
		in   string
		want Command
		err  []string
		not  []string
	}{
		{desc: "failed lists", in: "failed", want: Command{Name: "failed", Scope: "list"}},
		{desc: "failed retry one", in: "failed retry #12", want: Command{Name: "failed", Scope: "retry", ID: 12}},
		{desc: "failed retry all", in: "Failed Retry ALL", want: Command{Name: "failed", Scope: "retry"}},
		{desc: "failed retry nothing", in: "failed retry", err: []string{"which message?", "Usage: `/upgrade failed"}},
		{desc: "failed retry two", in: "failed retry 1 2", err: []string{`didn't expect "2"`}},
		{desc: "failed retry all, then more", in: "failed retry all now", err: []string{`didn't expect "now"`}},
		{desc: "failed other word", in: "failed resend", err: []string{`didn't expect "resend"`, "failed retry <id>|all"}},
	}...)
}
