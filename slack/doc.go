// Package slack is the Slack adapter: everything that speaks Slack. Requests
// come in over HTTP (Server: slash commands, interactions, events, each
// signature-checked) or Socket Mode (Socket) and are handed to App, which
// turns them into calls on the conversation (package bot) and turns its
// replies, the App Home and modals into Block Kit. Deliverer is the outbox
// worker: it sends the messages the desk queued through the Web API.
//
// Data flows one way: Slack → App → bot → the desk; the desk's outbox →
// Deliverer → Slack. Nothing here reads or writes the store except through
// the upgradebot.Desk contract, and package bot never imports this one.
//
// slack-go's package is also named slack; inside this package that name
// means slack-go. Importers name this package slackapp.
package slack
