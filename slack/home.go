package slack

import (
	"strconv"

	"github.com/slack-go/slack"
	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
)

// HomeView renders a person's start page as their App Home tab: a header,
// when it was built, then each part after a divider, items with their
// buttons. It stays under Slack's 100-block limit for a view.
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
		case p.Lines > 1:
			blocks = append(blocks, TextBlocks(p.Text, p.Lines)...)
		default:
			blocks = append(blocks, mrkdwnSection(p.Text))
		}
		for _, it := range p.Items {
			blocks = append(blocks, homeItem(it)...)
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

// homeItem is one start page item: a task with Done beside it, or a
// decision with Approve / Reject under it.
func homeItem(it bot.HomeItem) []slack.Block {
	id := strconv.FormatInt(it.ID, 10)
	switch it.Action {
	case bot.HomeDone:
		done := slack.NewButtonBlockElement(ActionDone, id, plainText("Done"))
		return []slack.Block{slack.NewSectionBlock(
			slack.NewTextBlockObject(slack.MarkdownType, upgradebot.SlackSafe(it.Text), false, true),
			nil, slack.NewAccessory(done), slack.SectionBlockOptionBlockID("task_"+id))}
	case bot.HomeDecide:
		return []slack.Block{mrkdwnSection(it.Text), decisionButtons(it.ID)}
	}
	return []slack.Block{mrkdwnSection(it.Text)}
}
