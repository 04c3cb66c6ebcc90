package bot

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/upgradebot/upgradebot"
)

// Taking back a decision, and what an owner change does to the pending
// ones.

// decisionForTask refuses a decision id (D9) given first to a task command
// that has a decision counterpart, naming the command to write, so it is
// never read as a task.
func (p *parser) decisionForTask() error {
	other := p.spec.forDecisions
	if other == "" || len(p.toks) == 0 || !p.toks[0].word() {
		return nil
	}
	s := strings.TrimPrefix(p.toks[0].text, "#")
	if len(s) < 2 || (s[0] != 'D' && s[0] != 'd') {
		return nil
	}
	n, err := strconv.ParseInt(s[1:], 10, 64)
	if err != nil || n <= 0 {
		return nil
	}
	return upgradebot.Errorf(upgradebot.EINVALID, "`%s` closes a task; to take back decision D%d write `%s D%d`.", p.spec.name, n, other, n)
}

func (c *call) withdraw(cmd *Command) (string, error) {
	d, err := c.b.Desk.WithdrawDecision(c.ctx, c.user, cmd.ID, cmd.Text)
	if err != nil {
		return "", err
	}
	text := upgradebot.Sentence(fmt.Sprintf("Withdrew decision D%d: %s", d.ID, upgradebot.Escape(upgradebot.Clip(d.Question, 120))))
	if d.RoutedTo != c.user {
		text += fmt.Sprintf(" The request to %s now says so: nothing to answer.", upgradebot.Mention(d.RoutedTo))
	}
	return text, nil
}

// movingDecisions are the pending decisions that making user the owner
// sends on: those not already with whoever would decide today (user, or
// their delegate while they are away). The store moves them in the change's
// own transaction; this is what the reply says.
func (c *call) movingDecisions(user string) ([]*upgradebot.Decision, error) {
	away, err := c.b.Desk.FindAway(c.ctx, c.today)
	if err != nil {
		return nil, err
	}
	r, err := upgradebot.Route(user, away, c.today)
	if err != nil {
		return nil, err
	}
	ds, err := c.b.Desk.FindDecisions(c.ctx, upgradebot.DecisionFilter{Status: upgradebot.DecisionPending})
	if err != nil {
		return nil, err
	}
	var out []*upgradebot.Decision
	for _, d := range ds {
		if d.RoutedTo != r.To {
			out = append(out, d)
		}
	}
	return out, nil
}

// movedNote says which pending decisions went to the new owner.
func movedNote(ds []*upgradebot.Decision) string {
	if len(ds) == 0 {
		return ""
	}
	refs := make([]string, 0, len(ds))
	for i := len(ds) - 1; i >= 0; i-- { // oldest first
		refs = append(refs, fmt.Sprintf("D%d", ds[i].ID))
	}
	if len(refs) > 5 {
		refs = append(refs[:5], fmt.Sprintf("and %d more", len(ds)-5))
	}
	return fmt.Sprintf(" %s went to them (%s): each former request now says where it went, and the requesters have been told.",
		upgradebot.UpperFirst(upgradebot.Plural(len(ds), "pending decision")), strings.Join(refs, ", "))
}
