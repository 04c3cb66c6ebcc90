package slack

import (
	"github.com/slack-go/slack"
	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
)

// HomeView renders a person's start page as their App Home tab: a header,
// when it was built, then each part after a divider: its heading (with the
// Add button beside it where it has one), its items (a task with its
// buttons, a decision with Approve / Reject, each with its title in bold
// and its details side by side) and its note. It stays under Slack's
// 100-block limit for a view.
func HomeView(h bot.Home) slack.HomeTabViewRequest {
	blocks := []slack.Block{
		slack.NewHeaderBlock(plainText("Upgrade desk")),
		contextBlock("Updated " + h.Updated + ". Everything here works as `/upgrade` commands too: `/upgrade help`."),
	}
	for _, p := range h.Parts {
		blocks = append(blocks, slack.NewDividerBlock())
		switch {
		case p.Text == "" && p.Note != "":
			blocks = append(blocks, contextBlock(p.Note))
			continue
		case p.Add:
			add := slack.NewButtonBlockElement(ActionAddTask, "add", plainText("Add a task")).WithStyle(slack.StylePrimary)
			blocks = append(blocks, slack.NewSectionBlock(mrkdwn(p.Text), nil, slack.NewAccessory(add)))
		case p.Lines > 1:
			blocks = append(blocks, TextBlocks(p.Text, p.Lines)...)
		default:
			blocks = append(blocks, mrkdwnSection(p.Text))
		}
		for _, it := range p.Items {
			blocks = append(blocks, homeItem(it, h.RefURL)...)
		}
		if p.Note != "" {
			blocks = append(blocks, contextBlock(p.Note))
		}
	}
	if len(blocks) > maxHomeBlocks { // not reachable with bot's limits; never let Slack refuse the view
		blocks = blocks[:maxHomeBlocks]
	}
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}
}

// homeItem is one start page item: a task with its buttons (ItemBlocks),
// or a line with its details as fields, the question quoted under them
// and, for a decision waiting on the viewer, its buttons.
func homeItem(it bot.HomeItem, refURL string) []slack.Block {
	if it.Action == bot.HomeDone && it.Task != nil {
		return ItemBlocks(*it.Task, 0, refURL)
	}
	var fields []*slack.TextBlockObject
	for _, f := range it.Fields[:min(len(it.Fields), 10)] {
		fields = append(fields, mrkdwn(f))
	}
	var text *slack.TextBlockObject
	if it.Text != "" || len(fields) == 0 {
		text = mrkdwn(it.Text)
	}
	var blocks []slack.Block
	if text != nil || len(fields) > 0 {
		blocks = append(blocks, slack.NewSectionBlock(text, fields, nil))
	}
	if it.Quote != "" {
		blocks = append(blocks, mrkdwnSection(it.Quote))
	}
	if it.Action == bot.HomeDecide {
		blocks = append(blocks, decisionButtons(it.ID))
	}
	if len(blocks) == 0 {
		blocks = append(blocks, mrkdwnSection(upgradebot.SlackSafe(it.Text)))
	}
	return blocks
}
