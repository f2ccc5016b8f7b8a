package registry

import (
	"math/bits"
	"time"
)

// Call is one use of a tool, reported to [Store.RecordCall].
type Call struct {
	Latency time.Duration
	Failed  bool
	// At is when the call finished; zero means now.
	At time.Time
}

// latencyBuckets is the number of histogram buckets: bucket i counts
// latencies in [2^(i-1), 2^i) microseconds (bucket 0: under 1 µs), so 40
// buckets reach beyond 6 days.
const latencyBuckets = 40

// ToolStats are the counters of one tool name, kept apart from the record.
type ToolStats struct {
	Calls    int64     `json:"calls"`
	Failures int64     `json:"failures"`
	LastUsed time.Time `json:"last_used,omitzero"`
	// LatencyP50 and LatencyP95 are estimated from a log-scale histogram
	// (within a factor of two of the true value).
	LatencyP50 time.Duration `json:"latency_p50_ns"`
	LatencyP95 time.Duration `json:"latency_p95_ns"`
	// Histogram holds the call counts per latency bucket.
	Histogram [latencyBuckets]int64 `json:"histogram"`
}

// latencyBucket returns the histogram bucket of d.
func latencyBucket(d time.Duration) int {
	us := d.Microseconds()
	if us <= 0 {
		return 0
	}
	b := bits.Len64(uint64(us)) // 1 µs -> 1, 2-3 µs -> 2, ...
	if b >= latencyBuckets {
		b = latencyBuckets - 1
	}
	return b
}

// bucketMid returns a representative latency of bucket b: the geometric
// middle of its range.
func bucketMid(b int) time.Duration {
	if b == 0 {
		return 500 * time.Nanosecond
	}
	lo := time.Duration(1<<(b-1)) * time.Microsecond
	return lo + lo/2
}

// fill computes the percentiles from the histogram.
func (s *ToolStats) fill() {
	s.LatencyP50 = s.percentile(0.50)
	s.LatencyP95 = s.percentile(0.95)
}

func (s *ToolStats) percentile(q float64) time.Duration {
	var total int64
	for _, n := range s.Histogram {
		total += n
	}
	if total == 0 {
		return 0
	}
	rank := int64(q*float64(total) + 0.5)
	if rank < 1 {
		rank = 1
	}
	var seen int64
	for b, n := range s.Histogram {
		seen += n
		if seen >= rank {
			return bucketMid(b)
		}
	}
	return bucketMid(latencyBuckets - 1)
}

// apply adds c to s (for backends that update the stats in one transaction).
func (s *ToolStats) apply(c Call) {
	s.Calls++
	if c.Failed {
		s.Failures++
	}
	s.Histogram[latencyBucket(c.Latency)]++
	at := time.UnixMicro(c.At.UnixMicro()).UTC() // the precision Redis keeps
	if at.After(s.LastUsed) {
		s.LastUsed = at
	}
}
