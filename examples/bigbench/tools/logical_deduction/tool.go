package tool

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

var (
	objectsRe = regexp.MustCompile(`five [a-z ]+?: ([^.]*)\.`)
	optionsRe = regexp.MustCompile(`(?m)^\(([A-Z])\) (.*)$`)
)

// Parse reads the five objects, the statements that constrain their order and
// the option statements.
func Parse(input string) (objects []string, statements []string, options []string, err error) {
	body := input
	if i := strings.Index(body, "Options:"); i >= 0 {
		body = body[:i]
	}
	m := objectsRe.FindStringSubmatchIndex(body)
	if m == nil {
		return nil, nil, nil, errors.New("no list of five objects found")
	}
	list := strings.ReplaceAll(body[m[2]:m[3]], ", and ", ", ")
	for _, o := range strings.Split(list, ",") {
		o = strings.TrimSpace(o)
		for _, art := range []string{"a ", "an ", "the "} {
			o = strings.TrimPrefix(o, art)
		}
		objects = append(objects, o)
	}
	for _, s := range strings.Split(body[m[1]:], ".") {
		if s = strings.TrimSpace(s); s != "" {
			statements = append(statements, s)
		}
	}
	for _, o := range optionsRe.FindAllStringSubmatch(input, -1) {
		options = append(options, strings.TrimSpace(o[2]))
	}
	return objects, statements, options, nil
}

// A relation places an object on a scale 0..n-1 (leftmost, oldest, cheapest,
// first) either at a fixed position or before/after another object.
type relation struct {
	subject, other int // other is -1 for a fixed position
	pos            int // fixed position (may be negative: counted from the end)
	before         bool
}

// scale phrases: fixed positions and comparisons, in the order 0 = left /
// oldest / cheapest / first.
var fixed = []struct {
	phrase string
	pos    int
}{
	{"is the leftmost", 0}, {"is the rightmost", -1},
	{"is the second from the left", 1}, {"is the third from the left", 2},
	{"is the second from the right", -2}, {"is the third from the right", -3},
	{"is the oldest", 0}, {"is the newest", -1},
	{"is the second-oldest", 1}, {"is the third-oldest", 2},
	{"is the second-newest", -2}, {"is the third-newest", -3},
	{"are the cheapest", 0}, {"are the most expensive", -1},
	{"are the second-cheapest", 1}, {"are the third-cheapest", 2},
	{"are the second-most expensive", -2}, {"are the third-most expensive", -3},
	{"finished first", 0}, {"finished last", -1},
	{"finished second-to-last", -2}, {"finished third-to-last", -3},
	{"finished second", 1}, {"finished third", 2},
}

var comparisons = []struct {
	phrase string
	before bool
}{
	{"is to the left of", true}, {"is to the right of", false},
	{"is older than", true}, {"is newer than", false},
	{"are less expensive than", true}, {"are more expensive than", false},
	{"are cheaper than", true}, {"finished above", true}, {"finished below", false},
}

func parseRelation(s string, objects []string) (relation, error) {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	for _, c := range comparisons {
		if i := strings.Index(s, " "+c.phrase+" "); i >= 0 {
			a, b := find(s[:i], objects), find(s[i+len(c.phrase)+2:], objects)
			if a < 0 || b < 0 {
				return relation{}, fmt.Errorf("unknown object in %q", s)
			}
			return relation{subject: a, other: b, before: c.before}, nil
		}
	}
	for _, f := range fixed {
		if strings.HasSuffix(s, " "+f.phrase) {
			a := find(strings.TrimSuffix(s, " "+f.phrase), objects)
			if a < 0 {
				return relation{}, fmt.Errorf("unknown object in %q", s)
			}
			return relation{subject: a, other: -1, pos: f.pos}, nil
		}
	}
	return relation{}, fmt.Errorf("cannot read %q", s)
}

// find returns the index of the object named in s ("The owl", "Joe").
func find(s string, objects []string) int {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "the ")
	for i, o := range objects {
		if s == strings.ToLower(o) {
			return i
		}
	}
	return -1
}

func holds(r relation, place []int) bool {
	if r.other < 0 {
		p := r.pos
		if p < 0 {
			p += len(place)
		}
		return place[r.subject] == p
	}
	if r.before {
		return place[r.subject] < place[r.other]
	}
	return place[r.subject] > place[r.other]
}

// Solve finds the order that satisfies every statement and returns the
// letter, like "(B)", of the one option that is true in it.
func Solve(objects []string, statements []string, options []string) (string, error) {
	var rels []relation
	for _, s := range statements {
		r, err := parseRelation(s, objects)
		if err != nil {
			return "", err
		}
		rels = append(rels, r)
	}
	var opts []relation
	for _, o := range options {
		r, err := parseRelation(o, objects)
		if err != nil {
			return "", err
		}
		opts = append(opts, r)
	}
	place := make([]int, len(objects))
	used := make([]bool, len(objects))
	answer := ""
	var search func(i int) bool
	search = func(i int) bool {
		if i == len(objects) {
			for _, r := range rels {
				if !holds(r, place) {
					return false
				}
			}
			for k, r := range opts {
				if holds(r, place) {
					answer = fmt.Sprintf("(%c)", 'A'+k)
					return true
				}
			}
			return false
		}
		for p := range objects {
			if !used[p] {
				used[p], place[i] = true, p
				if search(i + 1) {
					return true
				}
				used[p] = false
			}
		}
		return false
	}
	if !search(0) {
		return "", errors.New("no order satisfies the statements and an option")
	}
	return answer, nil
}

// Format returns the option letter as is.
func Format(letter string) string { return letter }
