package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

// testClaimPaced: a claim books the message's channel, and until the
// booking runs out no worker claims another message to that channel (it
// is told when the channel is free) and DueMessages leaves the channel
// out; other channels, App Home refreshes and unpaced claims go ahead.
func testClaimPaced(t *testing.T, e *env) {
	mark := e.lastMessage()
	ok(t, e.desk.QueueMessages(e.ctx, []upgradebot.Message{
		{Kind: upgradebot.MessageDM, To: Bob, Text: "bob 1"},
		{Kind: upgradebot.MessageDM, To: Bob, Text: "bob 2"},
		{Kind: upgradebot.MessageDM, To: Alice, Text: "alice 1"},
		{Kind: upgradebot.MessagePost, To: Channel, Text: "post 1"},
		{Kind: upgradebot.MessagePost, To: Channel, Text: "post 2"},
	}))
	msgs := e.newMessages(mark)
	if len(msgs) != 5 {
		t.Fatalf("queued %d messages", len(msgs))
	}
	bob1, bob2, alice1, post1, post2 := msgs[0].ID, msgs[1].ID, msgs[2].ID, msgs[3].ID, msgs[4].ID
	now := e.clock.Now()
	lease, gap := 30*time.Second, time.Second
	claim := func(id int64, at time.Time, gap time.Duration) (bool, time.Time) {
		t.Helper()
		got, free, err := e.desk.ClaimPaced(e.ctx, id, at, at.Add(lease), gap)
		ok(t, err)
		return got, free
	}
	due := func(at time.Time) []int64 {
		t.Helper()
		list, err := e.desk.DueMessages(e.ctx, at, 0)
		ok(t, err)
		var out []int64
		for _, m := range list {
			if m.ID > mark && m.Kind != upgradebot.MessageHome {
				out = append(out, m.ID)
			}
		}
		return out
	}

	if got, _ := claim(bob1, now, gap); !got {
		t.Fatal("the first claim of bob's DM failed")
	}
	// Another worker, the same instant: bob's channel is booked.
	got, free := claim(bob2, now, gap)
	if got || !free.Equal(now.Add(gap)) {
		t.Errorf("a second DM to bob inside the gap: claimed %v, free at %v; want refused, free at %v", got, free, now.Add(gap))
	}
	if m, _ := e.desk.FindMessage(e.ctx, bob2); m.Status != upgradebot.MessagePending || m.Attempts != 0 || !m.NextTry.Equal(now) {
		t.Errorf("the refused claim changed the message: %+v", m)
	}
	if got := due(now); !slices.Equal(got, []int64{alice1, post1, post2}) {
		t.Errorf("due while bob's channel is booked = %v, want alice's DM and the posts %v", got, []int64{alice1, post1, post2})
	}
	// Other channels go ahead; a post books its channel too.
	if got, _ := claim(alice1, now, gap); !got {
		t.Error("alice's DM was held back by bob's booking")
	}
	if got, _ := claim(post1, now, gap); !got {
		t.Error("the post was held back")
	}
	if got, _ := claim(post2, now.Add(gap/2), gap); got {
		t.Error("a second post inside the gap was claimed")
	}
	// An App Home refresh is no message in a channel: never held back.
	hmark := e.lastMessage()
	ok(t, e.desk.QueueMessages(e.ctx, []upgradebot.Message{upgradebot.HomeMessage(Bob)}))
	home := e.pending(hmark)[0].ID
	if got, _ := claim(home, now, gap); !got {
		t.Error("bob's App Home refresh was held back by his DMs")
	}

	// The booking runs out.
	later := now.Add(gap)
	if got := due(later); !slices.Equal(got, []int64{bob2, post2}) {
		t.Errorf("due once the bookings ran out = %v, want %v", got, []int64{bob2, post2})
	}
	if got, _ := claim(bob2, later, gap); !got {
		t.Error("bob's second DM was refused once his channel was free")
	}
	// A claim with no gap books nothing: the next post is not held back.
	if got, _ := claim(post2, later, 0); !got {
		t.Error("the second post was refused with its channel free")
	}
	mark2 := e.lastMessage()
	ok(t, e.desk.QueueMessages(e.ctx, []upgradebot.Message{{Kind: upgradebot.MessagePost, To: Channel, Text: "post 3"}}))
	post3 := e.pending(mark2)[0].ID
	if got, _ := claim(post3, later, gap); !got {
		t.Error("a claim with no gap booked the channel")
	}
	// A message claimed already is refused with no free time.
	if got, free := claim(post3, later, gap); got || !free.IsZero() {
		t.Errorf("claiming a claimed message: %v, free %v", got, free)
	}
}
