package upgradebot

import (
	"context"
	"regexp"
	"strings"
	"time"
)

// Sites.
//
// A health system runs several hospitals from one central upgrade team.
// Each hospital the team serves is a site, with a short key (north) that
// commands take as site:north and a name (North Campus). Tasks, recurring
// clean-ups (and so their occurrences), freezes and releases may name one;
// without one they concern the whole system. A freeze of one site flags
// only work of that site and work of the whole system (see
// Freeze.AppliesTo); a freeze of the whole system flags all work.

// Site is one hospital of the health system.
type Site struct {
	Key  string `json:"key"`
	Name string `json:"name"`

	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// MaxSites bounds how many sites a team keeps.
const MaxSites = 50

var siteKeyRE = regexp.MustCompile(`^[a-z][a-z0-9-]{0,19}$`)

// siteKeyRule says how a site key is written, for refusals.
const siteKeyRule = "a site key is 1 to 20 lower-case letters, digits and dashes, starting with a letter, like north or st-marys"

// ParseSiteKey reads a site key as typed (site:North), lower-cased, and
// checks its shape: EINVALID otherwise. It does not say whether the team
// has the site (Settings.Site does).
func ParseSiteKey(s string) (string, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	if !siteKeyRE.MatchString(k) {
		return "", Errorf(EINVALID, "%q is not a site key: %s", Clip(s, 30), siteKeyRule)
	}
	return k, nil
}

// Validate checks the key and the name.
func (s *Site) Validate() error {
	if !siteKeyRE.MatchString(s.Key) {
		return Errorf(EINVALID, "%q is not a site key: %s", Clip(s.Key, 30), siteKeyRule)
	}
	if strings.TrimSpace(s.Name) == "" {
		s.Name = s.Key
	}
	if n := len([]rune(s.Name)); n > 60 {
		return Errorf(EINVALID, "the site's name is %d characters; keep it under 60", n)
	}
	return ValidateTitle("site name", s.Name)
}

// Site returns the team's site with key, and whether there is one.
func (s Settings) Site(key string) (Site, bool) {
	for _, st := range s.Sites {
		if st.Key == key {
			return st, true
		}
	}
	return Site{}, false
}

// CheckSite refuses (ENOTFOUND) a site key the team does not have; ""
// (no site) is always fine.
func (s Settings) CheckSite(key string) error {
	if key == "" {
		return nil
	}
	if _, ok := s.Site(key); ok {
		return nil
	}
	if len(s.Sites) == 0 {
		return Errorf(ENOTFOUND, "The team has no sites yet, so there is no site %s; an admin adds one with `/upgrade config sites add %s \"<name>\"`.", Escape(Clip(key, 20)), Escape(Clip(key, 20)))
	}
	return Errorf(ENOTFOUND, "There is no site %s; the sites are %s (`/upgrade config sites`).", Escape(Clip(key, 20)), s.SiteKeys())
}

// SiteKeys lists the team's site keys: "north, south".
func (s Settings) SiteKeys() string {
	keys := make([]string, len(s.Sites))
	for i, st := range s.Sites {
		keys[i] = st.Key
	}
	return strings.Join(keys, ", ")
}

// SiteName is the name of the site with key, the key itself when the team
// has no such site, and "" for no site.
func (s Settings) SiteName(key string) string {
	if st, ok := s.Site(key); ok {
		return st.Name
	}
	return key
}

// AppliesTo reports whether the freeze holds work of site: a freeze of the
// whole system holds all work, a freeze of one site holds that site's work
// and work of the whole system (no site), which that site takes part in.
func (f *Freeze) AppliesTo(site string) bool {
	return f.Site == "" || site == "" || f.Site == site
}

// FreezeOnSite is FreezeOn for work of site: the first of freezes that
// applies to site and contains day d, or nil.
func FreezeOnSite(freezes []*Freeze, d Date, site string) *Freeze {
	for _, f := range freezes {
		if f.AppliesTo(site) && f.Contains(d) {
			return f
		}
	}
	return nil
}

// FreezeOverSite is FreezeOver for work of site.
func FreezeOverSite(freezes []*Freeze, from, to Date, site string) *Freeze {
	for _, f := range freezes {
		if f.AppliesTo(site) && f.Overlaps(from, to) {
			return f
		}
	}
	return nil
}

// SiteService keeps the team's sites. Changes are admin-only (EFORBIDDEN)
// and audited as site.add and site.remove.
type SiteService interface {
	// AddSite adds a site, or renames one with the same key. EINVALID for
	// a bad key or name; ECONFLICT past MaxSites.
	AddSite(ctx context.Context, actor string, s *Site) error
	// RemoveSite removes the site with key. ENOTFOUND; ECONFLICT while a
	// task, clean-up, freeze or release names it, saying how many.
	RemoveSite(ctx context.Context, actor, key string) (*Site, error)
}
