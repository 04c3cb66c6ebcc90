package bot_test

import "testing"

// TestConfigRefURL: admins set the address a task's ticket ref links to
// (issue 15), as any setting: checked, shown by `config`, refused to others.
func TestConfigRefURL(t *testing.T) {
	run(t, []step{
		{desc: "none by default", as: alice, text: "config", want: []string{"• `refurl` none (tickets are shown as text) · _default_"}},
		{desc: "admins only", as: alice, text: "config refurl https://itsm.example/{ref}", fail: true, want: []string{"Only admins"}},
		{desc: "as Slack sends a link", as: admin, text: "config refurl <https://itsm.example/now/nav_to.do?uri=change_request.do?number={ref}>",
			want: []string{"A task's ticket ref now links to `https://itsm.example/now/nav_to.do?uri=change_request.do?number={ref}`"}},
		{desc: "shown", as: alice, text: "config", want: []string{"• `refurl` `https://itsm.example/now/nav_to.do?uri=change_request.do?number={ref}` (a task's ticket ref is a link) · _stored_"}},
		{desc: "typed plainly", as: admin, text: "config refurl https://itsm.example/{ref}", want: []string{"links to `https://itsm.example/{ref}`"}},
		{desc: "without {ref}", as: admin, text: "config refurl https://itsm.example/", fail: true, want: []string{"needs {ref}", "Usage: `/upgrade config refurl"}},
		{desc: "not a web address", as: admin, text: "config refurl ftp://itsm.example/{ref}", fail: true, want: []string{"is not an http(s) address"}},
		{desc: "taken off", as: admin, text: "config refurl none", want: []string{"Tickets are shown as text now."}},
		{desc: "help", as: alice, text: "help config", want: []string{"`/upgrade config refurl https://itsm.example/{ref}|none`"}},
	})
}
