package tool

import "time"

// Request asks for a date some days after a start date.
type Request struct {
	Start string `json:"start"` // YYYY-MM-DD
	Days  int    `json:"days"`
}

// AddDays returns the date and weekday Days days after Start.
func AddDays(req Request) (map[string]string, error) {
	t, err := time.Parse("2006-01-02", req.Start)
	if err != nil {
		return nil, err
	}
	d := t.AddDate(0, 0, req.Days)
	return map[string]string{"date": d.Format("2006-01-02"), "weekday": d.Weekday().String()}, nil
}
