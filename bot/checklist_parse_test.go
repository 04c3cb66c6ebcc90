package bot

import (
	"time"

	"github.com/upgradebot/upgradebot"
)

// The checklist and release-item lines join parseTests, so TestParse,
// TestParseCoversSpecs and the seeds of FuzzParse cover them.
func init() { parseTests = append(parseTests, checklistParseTests...) }

var checklistParseTests = []struct {
	desc string
	in   string
	want Command
	err  []string
	not  []string
}{
	// release item
	{desc: "item adopt, key first", in: `release medcore-2026q4 item adopt "Order set favourites"`,
		want: Command{Name: "release item", Key: "medcore-2026q4", Scope: "adopt", Title: "Order set favourites"}},
	{desc: "item defer, item first, the rest is the reason", in: `release item MedCore-2026q4 defer “New MAR layout” needs nursing sign-off`,
		want: Command{Name: "release item", Key: "medcore-2026q4", Scope: "defer", Title: "New MAR layout", Text: "needs nursing sign-off"}},
	{desc: "item not doing", in: `release medcore-2026q4 item not doing "Portal themes" we do not license it`,
		want: Command{Name: "release item", Key: "medcore-2026q4", Scope: "skip", Title: "Portal themes", Text: "we do not license it"}},
	{desc: "item no, one-word title", in: "release medcore-2026q4 ITEM no Themes not licensed",
		want: Command{Name: "release item", Key: "medcore-2026q4", Scope: "skip", Title: "Themes", Text: "not licensed"}},
	{desc: "item adopt with a reason", in: `release medcore-2026q4 item yes "Order sets" pharmacy asked`,
		want: Command{Name: "release item", Key: "medcore-2026q4", Scope: "adopt", Title: "Order sets", Text: "pharmacy asked"}},
	{desc: "item reason with a mention", in: "release medcore-2026q4 item later Scanning ask <@U012AB3CD|alice> first",
		want: Command{Name: "release item", Key: "medcore-2026q4", Scope: "defer", Title: "Scanning", Text: "ask @alice first", People: people(alice)}},
	{desc: "item defer without reason", in: `release medcore-2026q4 item defer "New MAR layout"`,
		err: []string{"defer needs the reason", `release medcore-2026q4 item defer "New MAR layout" <why>`}},
	{desc: "item skip without reason", in: "release medcore-2026q4 item skip Themes", err: []string{"skip needs the reason"}},
	{desc: "item bad verdict", in: `release medcore-2026q4 item maybe "X" y`, err: []string{"not a verdict", "adopt, defer or skip"}},
	{desc: "item without title", in: "release medcore-2026q4 item adopt", err: []string{"which item?"}},
	{desc: "item without anything", in: "release item", err: []string{"give the release key"}},
	{desc: "item empty title", in: `release medcore-2026q4 item adopt ""`, err: []string{"item title is empty"}},

	// release items
	{desc: "items, key first, shared", in: "release medcore-2026q4 items share",
		want: Command{Name: "release items", Key: "medcore-2026q4", Share: true}},
	{desc: "items, items first", in: "release items MedCore-2026q4", want: Command{Name: "release items", Key: "medcore-2026q4"}},
	{desc: "items without key", in: "release items", err: []string{"which release?"}},
	{desc: "items with extra words", in: "release medcore-2026q4 items adopt", err: []string{"didn't expect"}},

	// checklist
	{desc: "checklist", in: "checklist", want: Command{Name: "checklist"}},
	{desc: "checklist shared", in: "checklist share", want: Command{Name: "checklist", Share: true}},
	{desc: "checklist takes nothing", in: "checklist please", err: []string{"didn't expect"}},
	{desc: "checklist add", in: `checklist add test "Run the regression scripts" est:3d`,
		want: Command{Name: "checklist add", Phase: upgradebot.PhaseTest, Title: "Run the regression scripts", Estimate: 24 * time.Hour}},
	{desc: "checklist add bare title, golive", in: "checklist add golive Command centre staffing",
		want: Command{Name: "checklist add", Phase: "golive", Title: "Command centre staffing"}},
	{desc: "checklist add malformed phase", in: "checklist add de.ploy Push it", err: []string{`"de.ploy" is not a phase name`, "Usage: `/upgrade checklist add"}},
	{desc: "checklist add no title", in: "checklist add review", err: []string{"title is empty"}},
	{desc: "checklist add nothing", in: "checklist add", err: []string{"give the phase"}},
	{desc: "checklist add bad estimate", in: "checklist add review Read est:lots", err: []string{"not an estimate"}},
	{desc: "checklist add takes no due:", in: "checklist add review Read due:fri", err: []string{"`checklist add` does not take `due:`"}},
	{desc: "checklist remove", in: "checklist remove #3", want: Command{Name: "checklist remove", ID: 3}},
	{desc: "checklist remove bad id", in: "checklist remove three", err: []string{"not a number"}},
}
