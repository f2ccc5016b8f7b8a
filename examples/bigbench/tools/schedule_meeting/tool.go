package tool

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
)

var (
	durationRe = regexp.MustCompile(`schedule a ([0-9.]+)-hour meeting`)
	availRe    = regexp.MustCompile(`(?m)^([A-Z][\w]*)'s availability: (.*)$`)
	rangeRe    = regexp.MustCompile(`(\d{1,2}):(\d{2}) - (\d{1,2}):(\d{2})`)
)

// Parse reads the meeting length in minutes and each person's free slots as
// [start, end] minute pairs.
func Parse(input string) (minutes int, calendars [][][]int, err error) {
	m := durationRe.FindStringSubmatch(input)
	if m == nil {
		return 0, nil, errors.New("no meeting length (\"schedule a N-hour meeting\")")
	}
	hours, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return 0, nil, fmt.Errorf("meeting length %q: %v", m[1], err)
	}
	minutes = int(hours*60 + 0.5)
	for _, a := range availRe.FindAllStringSubmatch(input, -1) {
		var slots [][]int
		for _, r := range rangeRe.FindAllStringSubmatch(a[2], -1) {
			slots = append(slots, []int{clock(r[1], r[2]), clock(r[3], r[4])})
		}
		calendars = append(calendars, slots)
	}
	if len(calendars) < 2 {
		return 0, nil, errors.New("fewer than two availability lines")
	}
	return minutes, calendars, nil
}

func clock(h, m string) int {
	hh, _ := strconv.Atoi(h)
	mm, _ := strconv.Atoi(m)
	return hh*60 + mm
}

// Solve returns the earliest slot of the given length inside everyone's
// availability, as [start, end] minutes, or nil when there is none.
func Solve(minutes int, calendars [][][]int) []int {
	common := calendars[0]
	for _, cal := range calendars[1:] {
		var next [][]int
		for _, a := range common {
			for _, b := range cal {
				lo, hi := a[0], a[1]
				if b[0] > lo {
					lo = b[0]
				}
				if b[1] < hi {
					hi = b[1]
				}
				if lo < hi {
					next = append(next, []int{lo, hi})
				}
			}
		}
		common = next
	}
	best := []int(nil)
	for _, s := range common {
		if s[1]-s[0] >= minutes && (best == nil || s[0] < best[0]) {
			best = []int{s[0], s[0] + minutes}
		}
	}
	return best
}

// Format renders the slot as "HH:MM - HH:MM", or the task's phrase for none.
func Format(slot []int) string {
	if len(slot) != 2 {
		return "No time slot works."
	}
	return fmt.Sprintf("%02d:%02d - %02d:%02d", slot[0]/60, slot[0]%60, slot[1]/60, slot[1]%60)
}
