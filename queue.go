package upgradebot

import (
	"math"
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

// ClearsOn returns the day work is done if one person does it in the
// team's working hours on working days from at on (the rest of today's
// hours count when at is within them), and false if that is more than ten
// years away. No work clears today.
func (w WorkingTime) ClearsOn(at time.Time, work time.Duration) (Date, bool) {
	local := at.In(w.loc())
	day := DateOf(local)
	if work <= 0 {
		return day, true
	}
	start, end := w.hours()
	h, m, s := local.Clock()
	since := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second
	for range maxClearDays {
		if w.IsWorkingDay(day) {
			from := max(start, min(since, end))
			if avail := end - from; avail > 0 {
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

// QueueSummary says how long a clean-up's queue takes to clear, for lists
// and the digest: "1240 left at 22/h: 56.36h of work, clears Tue 15 Dec
// 2026". Empty if no queue was recorded.
func (m *Maintenance) QueueSummary(w WorkingTime, now time.Time) string {
	if m.Rate <= 0 {
		return ""
	}
	if m.Queue == 0 {
		return "queue clear"
	}
	left := m.WorkLeft()
	s := strconv.Itoa(m.Queue) + " left at " + FormatRate(m.Rate) + ": " + FormatEffort(left) + " of work"
	if d, ok := w.ClearsOn(now, left); ok {
		s += ", clears " + d.Human()
	} else {
		s += ", not clearing within ten years at this rate"
	}
	return s
}
