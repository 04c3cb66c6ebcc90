package slack

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/upgradebot/upgradebot"
)

// Metrics counts what the bot does, for GET /metrics in Prometheus' text
// format. A nil *Metrics counts nothing. It is safe for concurrent use.
type Metrics struct {
	mu         sync.Mutex
	requests   map[[2]string]int // route, status code
	latency    map[string]*histogram
	deliveries map[string]int // message kind
	retries    map[string]int
	failures   map[string]int
}

// latencyBuckets are the upper bounds, in seconds, of the latency histogram.
var latencyBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}

type histogram struct {
	counts []int // one per bucket, not cumulative
	sum    float64
	n      int
}

// NewMetrics returns empty metrics.
func NewMetrics() *Metrics {
	return &Metrics{requests: map[[2]string]int{}, latency: map[string]*histogram{},
		deliveries: map[string]int{}, retries: map[string]int{}, failures: map[string]int{}}
}

// Request counts one inbound request on route answered with status after d.
func (m *Metrics) Request(route string, status int, d time.Duration) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[[2]string{route, fmt.Sprint(status)}]++
	h := m.latency[route]
	if h == nil {
		h = &histogram{counts: make([]int, len(latencyBuckets))}
		m.latency[route] = h
	}
	s := d.Seconds()
	for i, b := range latencyBuckets {
		if s <= b {
			h.counts[i]++
			break
		}
	}
	h.sum += s
	h.n++
}

// Delivered counts a message delivered to Slack.
func (m *Metrics) Delivered(kind upgradebot.MessageKind) {
	m.count(func(m *Metrics) map[string]int { return m.deliveries }, kind)
}

// Retried counts a failed attempt that will be tried again.
func (m *Metrics) Retried(kind upgradebot.MessageKind) {
	m.count(func(m *Metrics) map[string]int { return m.retries }, kind)
}

// Failed counts a message given up on.
func (m *Metrics) Failed(kind upgradebot.MessageKind) {
	m.count(func(m *Metrics) map[string]int { return m.failures }, kind)
}

// count adds one to kind in the counter c picks; the map is chosen only
// once m is known not to be nil.
func (m *Metrics) count(c func(*Metrics) map[string]int, kind upgradebot.MessageKind) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	c(m)[string(kind)]++
}

// Write writes every metric, with the outbox's current counts by status.
func (m *Metrics) Write(w io.Writer, outbox map[upgradebot.MessageStatus]int) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("# HELP upgradebot_outbox_messages Messages in the outbox by status.\n# TYPE upgradebot_outbox_messages gauge\n")
	for _, s := range []upgradebot.MessageStatus{upgradebot.MessagePending, upgradebot.MessageSent, upgradebot.MessageFailed} {
		p("upgradebot_outbox_messages{status=%q} %d\n", s, outbox[s])
	}
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	p("# HELP upgradebot_http_requests_total Inbound Slack and health requests by route and status code.\n# TYPE upgradebot_http_requests_total counter\n")
	keys := slices.SortedFunc(maps.Keys(m.requests), func(a, b [2]string) int {
		if a[0] != b[0] {
			return cmp.Compare(a[0], b[0])
		}
		return cmp.Compare(a[1], b[1])
	})
	for _, k := range keys {
		p("upgradebot_http_requests_total{route=%q,code=%q} %d\n", k[0], k[1], m.requests[k])
	}
	p("# HELP upgradebot_http_request_seconds Time to answer inbound requests.\n# TYPE upgradebot_http_request_seconds histogram\n")
	for _, route := range slices.Sorted(maps.Keys(m.latency)) {
		h, cum := m.latency[route], 0
		for i, b := range latencyBuckets {
			cum += h.counts[i]
			p("upgradebot_http_request_seconds_bucket{route=%q,le=\"%g\"} %d\n", route, b, cum)
		}
		p("upgradebot_http_request_seconds_bucket{route=%q,le=\"+Inf\"} %d\n", route, h.n)
		p("upgradebot_http_request_seconds_sum{route=%q} %g\n", route, h.sum)
		p("upgradebot_http_request_seconds_count{route=%q} %d\n", route, h.n)
	}
	for _, c := range []struct {
		name, help string
		m          map[string]int
	}{
		{"upgradebot_deliveries_total", "Messages delivered to Slack by kind.", m.deliveries},
		{"upgradebot_delivery_retries_total", "Delivery attempts that failed and will be retried, by kind.", m.retries},
		{"upgradebot_delivery_failures_total", "Messages given up on, by kind.", m.failures},
	} {
		p("# HELP %s %s\n# TYPE %s counter\n", c.name, c.help, c.name)
		for _, k := range slices.Sorted(maps.Keys(c.m)) {
			p("%s{kind=%q} %d\n", c.name, k, c.m[k])
		}
	}
}

// writeOutboxAge writes how long the oldest pending message has waited.
func writeOutboxAge(w io.Writer, age time.Duration) {
	fmt.Fprintf(w, "# HELP upgradebot_outbox_oldest_pending_seconds Age of the oldest message still pending in the outbox (0 if none).\n"+
		"# TYPE upgradebot_outbox_oldest_pending_seconds gauge\nupgradebot_outbox_oldest_pending_seconds %g\n", age.Seconds())
}

// writeConnections writes the process's database connections.
func writeConnections(w io.Writer, c upgradebot.Connection) {
	fmt.Fprintf(w, "# HELP upgradebot_db_connections This process's connections to the database, by state (max: the pool's limit, 0 for none).\n"+
		"# TYPE upgradebot_db_connections gauge\n"+
		"upgradebot_db_connections{state=\"open\"} %d\nupgradebot_db_connections{state=\"in_use\"} %d\nupgradebot_db_connections{state=\"max\"} %d\n",
		c.Open, c.InUse, c.Max)
}
