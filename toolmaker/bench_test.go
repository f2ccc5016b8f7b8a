package toolmaker

import (
	"context"
	"testing"
)

// makeAll makes the six test tools with the example's scripted replies.
func makeAll(b testing.TB, f *fixture) []testTask {
	tasks := loadTasks(b)
	for _, task := range tasks {
		if _, err := f.tm.Make(context.Background(), family(task)); err != nil {
			b.Fatal(err)
		}
	}
	return tasks
}

// BenchmarkUseParse measures the zero-cost path: a known family's tool
// answers through Parse → Solve → Format, no model call (in-process
// sandbox).
func BenchmarkUseParse(b *testing.B) {
	f := newFixture(b, bigbenchScript, Options{AutoMake: -1, NoStats: true})
	tasks := makeAll(b, f)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		task := tasks[i%len(tasks)]
		a, err := f.tm.Solve(ctx, task.Examples[i%len(task.Examples)].Input, task.Name)
		if err != nil || a.Path != PathParse {
			b.Fatal(a, err)
		}
	}
}

// BenchmarkSolveDispatch measures a request end to end: search, the
// scripted Dispatcher, then the Parse path.
func BenchmarkSolveDispatch(b *testing.B) {
	f := newFixture(b, bigbenchScript, Options{AutoMake: -1, NoStats: true})
	tasks := makeAll(b, f)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		task := tasks[i%len(tasks)]
		a, err := f.tm.Solve(ctx, task.Examples[i%len(task.Examples)].Input, "")
		if err != nil || a.Path != PathParse {
			b.Fatal(a, err)
		}
	}
}
