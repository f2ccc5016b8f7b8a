package registry

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// SpendRetention is how long AddSpend keeps a day's totals.
const SpendRetention = 3 * 24 * time.Hour

// Spend is a namespace's spending on one day.
type Spend struct {
	// Cost is the model spend in USD.
	Cost float64 `json:"cost_usd"`
	// Calls counts the API calls made.
	Calls int64 `json:"api_calls"`
}

// newToken returns a random lease or slot token.
func newToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// checkQuotaName rejects lease, bucket and semaphore names that the Redis
// key layout cannot hold.
func checkQuotaName(kind, name string) error {
	if name == "" || len(name) > 2*MaxNameLen || strings.ContainsAny(name, "{}") {
		return &ValidationError{Kind: kind, Name: name, Fields: []FieldError{{Field: "name",
			Message: fmt.Sprintf("%q: use 1 to %d bytes without braces", name, 2*MaxNameLen)}}}
	}
	return nil
}

// checkDay rejects a day that is not "2006-01-02".
func checkDay(day string) error {
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return &ValidationError{Kind: "spend", Name: day, Fields: []FieldError{{Field: "day", Message: "not a date YYYY-MM-DD"}}}
	}
	return nil
}

// ttlMillis returns ttl in whole milliseconds, at least 1.
func ttlMillis(ttl time.Duration) int64 { return max(ttl.Milliseconds(), 1) }
