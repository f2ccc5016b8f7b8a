package tool

import (
	"errors"
	"math/big"
)

// Factorial returns n! in decimal.
func Factorial(n int) (string, error) {
	if n < 0 {
		return "", errors.New("n must not be negative")
	}
	f := big.NewInt(1)
	for i := 2; i <= n; i++ {
		f.Mul(f, big.NewInt(int64(i)))
	}
	return f.String(), nil
}

// CRT solves x = r[i] mod m[i] for pairwise coprime moduli and returns the
// smallest non-negative x (Chinese remainder theorem).
func CRT(r []int64, m []int64) (string, error) {
	if len(r) != len(m) {
		return "", errors.New("r and m differ in length")
	}
	x, mod := big.NewInt(0), big.NewInt(1)
	for i := range r {
		mi := big.NewInt(m[i])
		for new(big.Int).Mod(x, mi).Cmp(new(big.Int).Mod(big.NewInt(r[i]), mi)) != 0 {
			x.Add(x, mod)
		}
		mod.Mul(mod, mi)
	}
	return x.String(), nil
}
