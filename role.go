package upgradebot

import (
	"context"
	"fmt"
	"slices"
)

// Roles.
//
// Besides the decision owner (and the delegate while the owner is away) and
// the admins, everyone is a member or a partner. Members have the desk's
// ordinary rights. Partners are people of an outsourced managed-services
// team, often external or guest accounts, brought in to work part of a
// backlog: they see the whole desk and work what is assigned to them, and
// nothing else (see PartnerMay). Someone is an admin or a partner, never
// both, and a partner is never the decision owner nor anyone's delegate.
// The store enforces every rule (EFORBIDDEN); the bot's help only says them.

// Role is what someone may do on the desk, as `people` shows it.
type Role string

// Roles.
const (
	RoleMember  Role = "member"
	RolePartner Role = "partner"
)

// IsPartner reports whether user is a partner.
func (s Settings) IsPartner(user string) bool {
	return user != "" && slices.Contains(s.Partners, user)
}

// Role is user's role: RolePartner for a partner, else RoleMember (the
// owner and admins are members too, with more rights).
func (s Settings) Role(user string) Role {
	if s.IsPartner(user) {
		return RolePartner
	}
	return RoleMember
}

// PartnerMay is what a partner may do, said in every refusal of one, so
// that the refusal also says what they can do instead.
const PartnerMay = "A partner sees the whole desk, adds tasks (they wait unassigned for the team to take) " +
	"and, on the tasks assigned to them, adds notes, marks them done, moves their due date (the team is told), " +
	"corrects their estimate and logs time spent (`spent`)."

// PartnerRefusal refuses (EFORBIDDEN) a partner who tried what ("cancel
// tasks"): it says what a partner may do and, in rest, who can do it (see
// TeamDoesRest, AdminsDoRest, OwnerDecides).
func PartnerRefusal(what, rest string) error {
	return Errorf(EFORBIDDEN, "Partners cannot %s. %s %s", what, PartnerMay, rest)
}

// PartnerNotTheirs refuses (EFORBIDDEN) a partner who tried to verb ("add
// notes to") a task that is not assigned to them.
func PartnerNotTheirs(verb string, t *Task, rest string) error {
	whose := "unassigned"
	if t.Assignee != "" {
		whose = Mention(t.Assignee) + "'s"
	}
	return Errorf(EFORBIDDEN, "Partners can %s only the tasks assigned to them, and #%d is %s. %s %s", verb, t.ID, whose, PartnerMay, rest)
}

// TeamDoesRest says who does what a partner may not, for work anyone in
// the team may do: "Anyone in the in-house team can; admins: <@A>."
func (s Settings) TeamDoesRest() string {
	if len(s.Admins) == 0 {
		return "Anyone in the in-house team can do it."
	}
	return "Anyone in the in-house team can do it; admins: " + mentionList(s.Admins) + "."
}

// AdminsDoRest says who does an admin's work: "Only admins can: <@A>."
func (s Settings) AdminsDoRest() string {
	if len(s.Admins) == 0 {
		return "Only admins can, and none is set yet."
	}
	return "Only admins can: " + mentionList(s.Admins) + "."
}

// OwnerDecides says who decides: the decision owner, or their delegate.
func (s Settings) OwnerDecides() string {
	if s.Owner == "" {
		return "Only the decision owner decides, and none is set yet; an admin sets one with `/upgrade owner @name`."
	}
	return "Only the decision owner " + Mention(s.Owner) + " (or their delegate while they are away) decides."
}

// PartnerTaskMessages tell each admin that partner added t, which waits
// unassigned for the team to take.
func PartnerTaskMessages(s Settings, partner string, t *Task, today Date) []Message {
	var out []Message
	for _, a := range s.Admins {
		out = append(out, Message{Kind: MessageDM, To: a,
			Text: fmt.Sprintf("%s (partner) added %s. It waits unassigned for the team: take it with `/upgrade assign %d @name`, or `/upgrade cancel %d` if it is not wanted.",
				Mention(partner), TaskLine(t, today), t.ID, t.ID)})
	}
	return out
}

// PartnerDueMessages tell the team that partner moved the due date of
// their task from before to after: a post in the team channel, or a DM to
// each admin when no channel is set.
func PartnerDueMessages(s Settings, partner string, before, after *Task, today Date) []Message {
	text := fmt.Sprintf("%s (partner) moved the due date of their task %s: %s → %s.",
		Mention(partner), taskRef(after), before.Due.Human(), after.Due.Human())
	if after.Due.Before(today) {
		text += " It is overdue."
	}
	if s.Channel != "" {
		return []Message{{Kind: MessagePost, To: s.Channel, Text: text}}
	}
	var out []Message
	for _, a := range s.Admins {
		out = append(out, Message{Kind: MessageDM, To: a, Text: text})
	}
	return out
}

// PartnerService keeps who is a partner. Changes are admin-only
// (EFORBIDDEN) and audited as partner.add and partner.remove.
type PartnerService interface {
	// AddPartner makes user a partner; adding one again changes nothing.
	// ECONFLICT if user is an admin, the decision owner or someone's
	// delegate in a current or coming away window (a partner may not
	// decide): that has to change first.
	AddPartner(ctx context.Context, actor, user string) error
	// RemovePartner makes a partner a member. ENOTFOUND if user is not a
	// partner.
	RemovePartner(ctx context.Context, actor, user string) error
}
