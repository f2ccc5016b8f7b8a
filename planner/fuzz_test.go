package planner

import (
	"context"
	"testing"
)

// FuzzParseRequest checks that no request text panics the parser or the
// planner, and that accepted requests plan to a plan with a status.
func FuzzParseRequest(f *testing.F) {
	for _, s := range []string{
		`{"goals":["Cars.Rent"],"known":{"city":"San Diego"}}`,
		`{"goals":["Flights.Search","Hotels.Search"],"known":{"city":"Paris","city":"Rome","Hotels.Search.sort":"x"}}`,
		`{"goals":["Payments.Pay"],"done":[{"id":"s1","api":"get_info","slot":"date","outputs":{"date":3}}],"failed":["Flights.Book"]}`,
		`{"goals":[]}`, `{}`, `[]`, `{"known":{"a\"b":{"x":[1,2]}}}`,
	} {
		f.Add([]byte(s))
	}
	p := newTravel(f, Options{})
	f.Fuzz(func(t *testing.T, data []byte) {
		req, err := ParseRequest(data)
		if err != nil {
			return
		}
		plan, err := p.Plan(context.Background(), req)
		if err != nil {
			t.Fatalf("Plan(%s): %v", data, err)
		}
		switch plan.Status {
		case StatusOK, StatusNeedsInfo, StatusInfeasible, StatusInvalid:
		default:
			t.Fatalf("status %q", plan.Status)
		}
	})
}
