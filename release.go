package upgradebot

import (
	"regexp"
	"strings"
	"time"
)

// Release is a vendor's release of the EHR that the team will have to take.
type Release struct {
	ID      int64  `json:"id"`
	Key     string `json:"key"` // short handle used in commands: release:<key>
	Vendor  string `json:"vendor"`
	Name    string `json:"name"`
	GA      Date   `json:"ga"`             // generally available
	Support Date   `json:"support"`        // end of vendor support, zero if unknown
	Site    string `json:"site,omitempty"` // the site that takes it, "" for the whole system

	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`

	// Set by CreateRelease: how many checklist tasks it created for the
	// release, and how many of those revisit items deferred in an earlier
	// release. Not stored.
	ChecklistTasks int `json:"-"`
	RevisitTasks   int `json:"-"`
}

var releaseKeyRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,39}$`)

// Validate fills the key if missing and reports the first thing wrong.
func (r *Release) Validate() error {
	if err := ValidateTitle("vendor", r.Vendor); err != nil {
		return err
	}
	if err := ValidateTitle("release name", r.Name); err != nil {
		return err
	}
	if r.Key == "" {
		r.Key = ReleaseKey(r.Vendor, r.Name)
	}
	if !releaseKeyRE.MatchString(r.Key) {
		return Errorf(EINVALID, "release key %q must be 1-40 lower-case letters, digits, dots, dashes or underscores", r.Key)
	}
	if r.GA.IsZero() {
		return Errorf(EINVALID, "a release needs a GA date: ga:<date>")
	}
	if !r.Support.IsZero() && r.Support.Before(r.GA) {
		return Errorf(EINVALID, "support ends (%s) before GA (%s)", r.Support, r.GA)
	}
	return nil
}

// ReleaseKey derives a key from a vendor and release name:
// "MedCore", "2027.1" gives "medcore-2027.1".
func ReleaseKey(vendor, name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(vendor + " " + name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '_':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	s := b.String()
	if len(s) > 40 {
		s = strings.TrimRight(s[:40], "-")
	}
	return s
}

// ReleaseChange is what EditRelease changes: a zero date keeps the
// release's; ClearSupport forgets the end of support (none known).
type ReleaseChange struct {
	GA           Date
	Support      Date
	ClearSupport bool
}

// IsZero reports whether ch changes nothing.
func (ch ReleaseChange) IsZero() bool {
	return ch.GA.IsZero() && ch.Support.IsZero() && !ch.ClearSupport
}
