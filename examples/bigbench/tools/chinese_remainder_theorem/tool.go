package tool

import (
	"errors"
	"regexp"
	"strconv"
)

var (
	limitRe = regexp.MustCompile(`no more than (\d+)`)
	groupRe = regexp.MustCompile(`among (\d+) [a-z]+, we have (\d+) left`)
)

// Parse reads the upper limit and the (divisor, remainder) pairs.
func Parse(input string) (limit int, divisors []int, remainders []int, err error) {
	m := limitRe.FindStringSubmatch(input)
	if m == nil {
		return 0, nil, nil, errors.New("no upper limit (\"no more than N\")")
	}
	limit, _ = strconv.Atoi(m[1])
	for _, g := range groupRe.FindAllStringSubmatch(input, -1) {
		d, _ := strconv.Atoi(g[1])
		r, _ := strconv.Atoi(g[2])
		divisors = append(divisors, d)
		remainders = append(remainders, r)
	}
	if len(divisors) == 0 {
		return 0, nil, nil, errors.New("no \"divide among N ..., we have R left\" clauses")
	}
	return limit, divisors, remainders, nil
}

// Solve returns the smallest positive n <= limit with n mod divisors[i] == remainders[i]
// for every i, sieving one congruence at a time.
func Solve(limit int, divisors []int, remainders []int) (int, error) {
	if len(divisors) != len(remainders) {
		return 0, errors.New("divisors and remainders differ in length")
	}
	n, step := 0, 1
	for i, d := range divisors {
		if d <= 0 {
			return 0, errors.New("divisor must be positive")
		}
		found := false
		for k := 0; k < d; k++ {
			if n%d == remainders[i]%d {
				found = true
				break
			}
			n += step
		}
		if !found {
			return 0, errors.New("the congruences have no common solution")
		}
		step = lcm(step, d)
	}
	for n <= 0 {
		n += step
	}
	if n > limit {
		return 0, errors.New("no solution within the limit")
	}
	return n, nil
}

func lcm(a, b int) int {
	x, y := a, b
	for y != 0 {
		x, y = y, x%y
	}
	return a / x * b
}

// Format prints the number.
func Format(n int) string {
	return strconv.Itoa(n)
}
