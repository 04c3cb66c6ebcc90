package bot

// PartnerRights is what help says a partner may do with each command that
// anyone may run: "own", "not" or "read only" ("" for partners too), for
// the tests that hold the store to it.
func PartnerRights() map[string]string {
	out := map[string]string{}
	for _, s := range specs {
		if s.who != anyone {
			continue
		}
		out[s.name] = map[partnerRight]string{partnerMay: "", partnerOwn: "own", partnerNot: "not", partnerReadOnly: "read only"}[s.partner]
	}
	return out
}
