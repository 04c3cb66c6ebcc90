package upgradebot

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Bounds of a clean-up queue.
const (
	MaxQueue = 10_000_000 // items
	MaxRate  = 100_000    // items per hour
	// maxClearDays bounds how far ClearsOn looks: beyond ten years the
	// answer is "not at this rate".
	maxClearDays = 3660
)

// ParseQueue reads a queue size: a whole number of items, 0 to MaxQueue
// (commas allowed: 1,240).
func ParseQueue(s string) (int, error) {
	n, err := strconv.Atoi(strings.ReplaceAll(strings.TrimSpace(s), ",", ""))
	if err != nil || n < 0 || n > MaxQueue {
		return 0, Errorf(EINVALID, "queue %q is not a number of items from 0 to %d", clipRunes(s, 20), MaxQueue)
	}
	return n, nil
}

// ParseRate reads how many items one person clears per hour: 22/h, 22 or
// 7.5/h; positive, at most MaxRate.
func ParseRate(s string) (float64, error) {
	v := strings.TrimSuffix(strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), "/h"), "/hr")
	r, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(r) || r <= 0 || r > MaxRate || strings.ContainsAny(v, "eEx+_") {
		return 0, Errorf(EINVALID, "rate %q is not a number of items per hour like 22/h (more than 0, at most %d)", clipRunes(s, 20), MaxRate)
	}
	return r, nil
}

// FormatRate writes a rate as ParseRate reads it: "22/h", "7.5/h".
func FormatRate(r float64) string { return strconv.FormatFloat(r, 'f', -1, 64) + "/h" }

// WorkLeft is the work the clean-up's queue still needs from one person,
// rounded up to the minute: 0 if no queue or rate was recorded.
func (m *Maintenance) WorkLeft() time.Duration {
	if m.Queue <= 0 || m.Rate <= 0 {
		return 0
	}
	return time.Duration(math.Ceil(float64(m.Queue)/m.Rate*60)) * time.Minute
}

// ClearsOn returns the day work is done if one person does it on working
// days from at on, and false if that is more than ten years away. A working
// day holds WorkdayHours of work (the day est:1d means) within the team's
// hours; of today, what is left of both after at counts. No work clears
// today.
func (w WorkingTime) ClearsOn(at time.Time, work time.Duration) (Date, bool) {
	local := at.In(w.loc())
	day := DateOf(local)
	if work <= 0 {
		return day, true
	}
	start, end := w.hours()
	perDay := min(end-start, WorkdayHours*time.Hour)
	h, m, s := local.Clock()
	since := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second
	for range maxClearDays {
		if w.IsWorkingDay(day) {
			from := max(start, min(since, end))
			if avail := min(end-from, perDay-(from-start)); avail > 0 {
				if work <= avail {
					return day, true
				}
				work -= avail
			}
		}
		day, since = day.AddDays(1), 0
	}
	return Date{}, false
}

// ValidateQueue checks a queue size and rate as SetQueue stores them.
func ValidateQueue(queue int, rate float64) error {
	if queue < 0 || queue > MaxQueue {
		return Errorf(EINVALID, "a queue is 0 to %d items, not %d", MaxQueue, queue)
	}
	if math.IsNaN(rate) || rate <= 0 || rate > MaxRate {
		return Errorf(EINVALID, "a rate is more than 0 and at most %d items per hour", MaxRate)
	}
	return nil
}

// QueueClear is when a clean-up's queue clears as of its last reading, its
// owner working their queues one after another.
type QueueClear struct {
	Work   time.Duration // this queue's work left at its reading
	AsOf   time.Time     // the reading (QueueAt)
	Clears Date
	OK     bool // false: not within ten years at this rate
	// After is how many of the same person's queues come before this one:
	// its clear date counts their work first.
	After int
}

// PlanQueues says when each clean-up's queue clears (by clean-up id), as of
// the readings: one person works their queues in sequence, in the order
// the clean-ups were set up, so two queues never clear as if worked at once. A person's
// sequence starts at their latest reading. Clean-ups without a queue or a
// rate are left out.
func PlanQueues(ms []*Maintenance, w WorkingTime) map[int64]QueueClear {
	byUser := map[string][]*Maintenance{}
	for _, m := range ms {
		if m.Active && m.Rate > 0 && m.Queue > 0 {
			byUser[m.Assignee] = append(byUser[m.Assignee], m)
		}
	}
	out := map[int64]QueueClear{}
	for _, queue := range byUser {
		slices.SortFunc(queue, func(a, b *Maintenance) int { return cmp.Compare(a.ID, b.ID) })
		var start time.Time
		for _, m := range queue {
			if m.QueueAt.After(start) {
				start = m.QueueAt
			}
		}
		var total time.Duration
		for i, m := range queue {
			total += m.WorkLeft()
			day, ok := w.ClearsOn(start, total)
			out[m.ID] = QueueClear{Work: m.WorkLeft(), AsOf: m.QueueAt, Clears: day, OK: ok, After: i}
		}
	}
	return out
}

// QueueSummary says how long a clean-up's queue takes to clear, for lists
// and the digest, as of its reading: "1240 left as of Thu 26 Nov at 22/h:
// 56.37h of work, clears Fri 4 Dec 2026 (after 1 other queue of theirs)".
// Empty if no queue was recorded.
func (m *Maintenance) QueueSummary(w WorkingTime, plan map[int64]QueueClear) string {
	if m.Rate <= 0 {
		return ""
	}
	if m.Queue == 0 {
		return "queue clear"
	}
	q := plan[m.ID]
	s := strconv.Itoa(m.Queue) + " left"
	if !m.QueueAt.IsZero() {
		s += " as of " + DateOf(m.QueueAt.In(w.loc())).Human()
	}
	s += " at " + FormatRate(m.Rate) + ": " + FormatEffort(m.WorkLeft()) + " of work"
	if !q.OK {
		return s + ", not clearing within ten years at this rate"
	}
	s += ", clears " + q.Clears.Human()
	if q.After > 0 {
		s += " (after " + Plural(q.After, "other queue") + " of theirs)"
	}
	return s
}
