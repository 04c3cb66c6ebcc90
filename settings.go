package upgradebot

import (
	"regexp"
	"time"
)

// Settings are the team-wide values that admins change.
type Settings struct {
	Owner    string   // the decision owner's user id
	Channel  string   // the team channel id for notices and digests; may be empty
	TimeZone string   // IANA zone name, e.g. America/Chicago
	Admins   []string // user ids, sorted
	Partners []string // user ids, sorted (see IsPartner)
	Sites    []Site   // the team's sites, by key (see SiteService)
	// Values are the other stored settings by key (see ValidateSetting);
	// Config reads them typed. Nil when there are none.
	Values map[string]string
}

// Location returns the team's time zone, UTC if unset or unknown.
func (s Settings) Location() *time.Location {
	if loc, err := time.LoadLocation(s.TimeZone); err == nil && s.TimeZone != "" {
		return loc
	}
	return time.UTC
}

// IsAdmin reports whether user is an admin.
func (s Settings) IsAdmin(user string) bool {
	for _, a := range s.Admins {
		if a == user {
			return true
		}
	}
	return false
}

var (
	userIDRE    = regexp.MustCompile(`^[UW][A-Z0-9]{2,20}$`)
	channelIDRE = regexp.MustCompile(`^[CGD][A-Z0-9]{2,20}$`)
)

// ValidUserID reports whether s looks like a Slack user id (U… or W…).
func ValidUserID(s string) bool { return userIDRE.MatchString(s) }

// ValidChannelID reports whether s looks like a Slack channel id (C…, G… or D…).
func ValidChannelID(s string) bool { return channelIDRE.MatchString(s) }

// Person is a Slack user the bot has seen, with the name Slack showed for
// them. Names are display only; ids are what permissions use.
type Person struct {
	ID   string
	Name string
}
