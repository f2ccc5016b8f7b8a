package tool

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

var (
	introRe  = regexp.MustCompile(`^(.*?) are [^.]*?\. At the start of [^,]*, (?:they are each|they each)[^:]*: (.*?)\.\s`)
	swapRe   = regexp.MustCompile(`([A-Z][a-z]+) and ([A-Z][a-z]+) (?:swap|switch|trade)`)
	askRe    = regexp.MustCompile(`At the end of the [a-z]+, ([A-Z][a-z]+) (?:is|has)`)
	optionRe = regexp.MustCompile(`(?m)^\(([A-Z])\) (.*)$`)
)

// Parse reads who holds what at the start, the swaps in order, whose item is
// asked for, and the answer options.
func Parse(input string) (owners []string, items []string, swaps [][]string, who string, options []string, err error) {
	m := introRe.FindStringSubmatch(input)
	if m == nil {
		return nil, nil, nil, "", nil, errors.New("no starting assignment found")
	}
	for _, part := range splitList(m[2]) {
		// "Alice has a red ball", "Bob is dancing with Sam", "Claire gets Frankenstein"
		fields := strings.Fields(part)
		if len(fields) < 2 {
			return nil, nil, nil, "", nil, fmt.Errorf("cannot read %q", part)
		}
		owners = append(owners, fields[0])
		items = append(items, itemOf(strings.Join(fields[1:], " ")))
	}
	rest := input[len(m[0]):]
	if a := strings.Index(rest, "At the end"); a >= 0 {
		for _, s := range swapRe.FindAllStringSubmatch(rest[:a], -1) {
			swaps = append(swaps, []string{s[1], s[2]})
		}
	}
	q := askRe.FindStringSubmatch(input)
	if q == nil {
		return nil, nil, nil, "", nil, errors.New("no question found")
	}
	for _, o := range optionRe.FindAllStringSubmatch(input, -1) {
		options = append(options, strings.TrimSpace(o[2]))
	}
	return owners, items, swaps, q[1], options, nil
}

// itemOf strips the verb phrase before the item: "has a red ball" -> "red ball".
func itemOf(s string) string {
	for _, p := range []string{"is dancing with ", "is playing ", "has a ", "has an ", "has ", "gets ", "is holding "} {
		if strings.HasPrefix(s, p) {
			return strings.TrimSpace(s[len(p):])
		}
	}
	return s
}

func splitList(s string) []string {
	s = strings.ReplaceAll(s, ", and ", ", ")
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Solve applies the swaps and returns the option letter, like "(C)", naming
// the item who ends up with.
func Solve(owners []string, items []string, swaps [][]string, who string, options []string) (string, error) {
	holds := map[string]string{}
	for i, o := range owners {
		holds[o] = items[i]
	}
	for _, s := range swaps {
		holds[s[0]], holds[s[1]] = holds[s[1]], holds[s[0]]
	}
	item, ok := holds[who]
	if !ok {
		return "", fmt.Errorf("%s is not among %v", who, owners)
	}
	for i, o := range options {
		if strings.EqualFold(strings.TrimSuffix(o, "."), item) || strings.HasSuffix(item, o) || strings.HasSuffix(o, item) {
			return fmt.Sprintf("(%c)", 'A'+i), nil
		}
	}
	return "", fmt.Errorf("%q is not among the options", item)
}

// Format returns the option letter as is.
func Format(letter string) string { return letter }
