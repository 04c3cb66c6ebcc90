package upgradebot

// PlainName is user as a name that notifies nobody, for posts the team
// reads every day: their display name from names, or their id when the
// desk has never seen it; "nobody" for "".
func PlainName(user string, names map[string]string) string {
	switch {
	case user == "":
		return "nobody"
	case names[user] != "":
		return Escape(names[user])
	}
	return user
}

// ownerName is a task's assignee as PlainName names them, or "unassigned".
func ownerName(user string, names map[string]string) string {
	if user == "" {
		return "unassigned"
	}
	return PlainName(user, names)
}
