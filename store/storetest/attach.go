package storetest

import (
	"testing"

	"github.com/upgradebot/upgradebot"
)

// testMessageAttach: a post may carry the weekly chart, kept through a
// scheduled run's queueing and read back by every reader; any other
// attachment, or the chart on another kind, is EINVALID and queues nothing.
func testMessageAttach(t *testing.T, e *env) {
	mark := e.lastMessage()
	for _, bad := range []upgradebot.Message{
		{Kind: upgradebot.MessagePost, To: Channel, Text: "a map", Attach: "map"},
		{Kind: upgradebot.MessageDM, To: Alice, Text: "your chart", Attach: upgradebot.AttachChart},
	} {
		err := e.desk.QueueMessages(e.ctx, []upgradebot.Message{{Kind: upgradebot.MessagePost, To: Channel, Text: "fine"}, bad})
		wantErr(t, err, upgradebot.EINVALID, "attachment")
	}
	if msgs := e.newMessages(mark); len(msgs) != 0 {
		t.Fatalf("a refused batch queued %d messages", len(msgs))
	}

	chart := upgradebot.WeeklyChartMessage(Channel)
	if chart.Kind != upgradebot.MessagePost || chart.To != Channel || chart.Attach != upgradebot.AttachChart {
		t.Fatalf("WeeklyChartMessage = %+v", chart)
	}
	ok(t, e.desk.QueueMessages(e.ctx, []upgradebot.Message{chart, {Kind: upgradebot.MessagePost, To: Channel, Text: "plain"}}))
	run := upgradebot.JobRun{Job: "digest", At: Start, Status: upgradebot.RunDone}
	first, err := e.desk.RecordRun(e.ctx, run, []upgradebot.Message{{Kind: upgradebot.MessagePost, To: Channel, Text: "Digest"}, chart})
	ok(t, err)
	if !first {
		t.Fatal("RecordRun did not record the run")
	}
	msgs := e.newMessages(mark)
	var got []string
	for _, m := range msgs {
		got = append(got, m.Attach)
	}
	if want := []string{"chart", "", "", "chart"}; len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] || got[3] != want[3] {
		t.Fatalf("attachments read back as %q, want %q", got, want)
	}
	if !msgs[0].CreatedAt.Equal(Start) || msgs[0].Text != chart.Text {
		t.Errorf("the chart post read back as %+v", msgs[0])
	}

	// Delivered as a shared file: the file id stands where a ts would.
	ok(t, e.desk.MarkSent(e.ctx, msgs[0].ID, Channel, "F0CHART"))
	sent, err := e.desk.FindMessage(e.ctx, msgs[0].ID)
	ok(t, err)
	if sent.Attach != upgradebot.AttachChart || sent.Status != upgradebot.MessageSent || sent.SlackTS != "F0CHART" {
		t.Errorf("FindMessage after delivery = %+v", sent)
	}
	ok(t, e.desk.MarkFailed(e.ctx, msgs[3].ID, "not_in_channel"))
	failed, err := e.desk.FailedMessages(e.ctx, 1)
	ok(t, err)
	if len(failed) != 1 || failed[0].Attach != upgradebot.AttachChart {
		t.Errorf("FailedMessages = %+v, want the chart post", failed)
	}
}
