package asp_test

import (
	"context"
	"fmt"

	"github.com/toolsmith-dev/toolsmith/asp"
)

func ExampleSolve() {
	prog, err := asp.Parse("colour.lp", []byte(`
		node(1..3). edge(1,2). edge(2,3).
		{ colour(N,C) : col(C) } = 1 :- node(N).
		:- edge(X,Y), colour(X,C), colour(Y,C).
		#minimize{ 1,N : colour(N,red) }.
		#show colour/2.`))
	if err != nil {
		fmt.Println(err)
		return
	}
	// Facts can be added from Go values.
	for _, c := range []string{"red", "green"} {
		prog.AddFact("col", asp.Function(c))
	}
	res, err := asp.Solve(context.Background(), prog, asp.SolveOptions{OptMode: asp.OptAll}, func(m asp.Model) bool {
		if m.Optimal {
			fmt.Println(m.Text(), m.Costs)
		}
		return true
	})
	fmt.Println(res.OptimumProven, err)
	// Output:
	// colour(1,green) colour(2,red) colour(3,green) [1]
	// true <nil>
}

func ExampleParse_error() {
	_, err := asp.Parse("bad.lp", []byte("a :- b.\n&diff{ x } <= 2.\n"))
	fmt.Println(err)
	// Output:
	// bad.lp:2:1: theory atom is not supported
}
