package search

import (
	"fmt"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/planner/pddl"
)

// gripperTask is IPC gripper with n balls in rooma to carry to roomb.
func gripperTask(t testing.TB, n int) *pddl.Task {
	var balls []string
	for i := 1; i <= n; i++ {
		balls = append(balls, fmt.Sprintf("ball%d", i))
	}
	sp := taskSpec{
		objects: "rooma roomb - room; " + strings.Join(balls, " ") + " - ball; left right - gripper",
		actions: []actSpec{
			{name: "move", params: "room room", pre: []string{"at-robby ?0"}, eff: []string{"at-robby ?1", "del at-robby ?0"}},
			{name: "pick", params: "ball room gripper", pre: []string{"at ?0 ?1", "at-robby ?1", "free ?2"},
				eff: []string{"carry ?0 ?2", "del at ?0 ?1", "del free ?2"}},
			{name: "drop", params: "ball room gripper", pre: []string{"carry ?0 ?2", "at-robby ?1"},
				eff: []string{"at ?0 ?1", "free ?2", "del carry ?0 ?2"}},
		},
		init: []string{"at-robby rooma", "free left", "free right"},
	}
	for _, b := range balls {
		sp.init = append(sp.init, "at "+b+" rooma")
		sp.goal = append(sp.goal, "at "+b+" roomb")
	}
	return buildTask(t, sp)
}

// blocksTask is the 4-operator blocksworld; init and goal list towers
// bottom to top, e.g. "a b" is b on a on the table.
func blocksTask(t testing.TB, init, goal []string) *pddl.Task {
	var blocks []string
	for _, tw := range init {
		blocks = append(blocks, strings.Fields(tw)...)
	}
	sp := taskSpec{
		objects: strings.Join(blocks, " ") + " - block",
		actions: []actSpec{
			{name: "pick-up", params: "block", pre: []string{"clear ?0", "ontable ?0", "handempty"},
				eff: []string{"del ontable ?0", "del clear ?0", "del handempty", "holding ?0"}},
			{name: "put-down", params: "block", pre: []string{"holding ?0"},
				eff: []string{"del holding ?0", "clear ?0", "handempty", "ontable ?0"}},
			{name: "stack", params: "block block", pre: []string{"holding ?0", "clear ?1"},
				eff: []string{"del holding ?0", "del clear ?1", "clear ?0", "handempty", "on ?0 ?1"}},
			{name: "unstack", params: "block block", pre: []string{"on ?0 ?1", "clear ?0", "handempty"},
				eff: []string{"holding ?0", "clear ?1", "del clear ?0", "del handempty", "del on ?0 ?1"}},
		},
		init: []string{"handempty"},
	}
	tower := func(tw string, lits *[]string, full bool) {
		b := strings.Fields(tw)
		if full {
			*lits = append(*lits, "ontable "+b[0], "clear "+b[len(b)-1])
		}
		for i := 1; i < len(b); i++ {
			*lits = append(*lits, "on "+b[i]+" "+b[i-1])
		}
	}
	for _, tw := range init {
		tower(tw, &sp.init, true)
	}
	for _, tw := range goal {
		tower(tw, &sp.goal, false)
	}
	return buildTask(t, sp)
}

// logisticsTask: cities c1..cN, each with a post office pK and an airport aK
// and a truck tK; one airplane plane at a1; packages given as
// "pkg from to".
func logisticsTask(t testing.TB, cities int, packages []string) *pddl.Task {
	var locs, airports, trucks, cityNames []string
	sp := taskSpec{init: []string{"at plane a1"}}
	for k := 1; k <= cities; k++ {
		c, p, a, tr := fmt.Sprintf("c%d", k), fmt.Sprintf("p%d", k), fmt.Sprintf("a%d", k), fmt.Sprintf("t%d", k)
		cityNames = append(cityNames, c)
		locs = append(locs, p)
		airports = append(airports, a)
		trucks = append(trucks, tr)
		sp.init = append(sp.init, "in-city "+p+" "+c, "in-city "+a+" "+c, "at "+tr+" "+p)
	}
	var pkgs []string
	for _, pk := range packages {
		f := strings.Fields(pk)
		pkgs = append(pkgs, f[0])
		sp.init = append(sp.init, "at "+f[0]+" "+f[1])
		sp.goal = append(sp.goal, "at "+f[0]+" "+f[2])
	}
	sp.objects = strings.Join(locs, " ") + " - place; " + strings.Join(airports, " ") + " - airport; " +
		strings.Join(trucks, " ") + " - truck; plane - airplane; " + strings.Join(cityNames, " ") + " - city; " +
		strings.Join(pkgs, " ") + " - package"
	sp.actions = []actSpec{
		{name: "load-truck", params: "package truck location", pre: []string{"at ?1 ?2", "at ?0 ?2"}, eff: []string{"del at ?0 ?2", "in ?0 ?1"}},
		{name: "load-airplane", params: "package airplane airport", pre: []string{"at ?0 ?2", "at ?1 ?2"}, eff: []string{"del at ?0 ?2", "in ?0 ?1"}},
		{name: "unload-truck", params: "package truck location", pre: []string{"at ?1 ?2", "in ?0 ?1"}, eff: []string{"del in ?0 ?1", "at ?0 ?2"}},
		{name: "unload-airplane", params: "package airplane airport", pre: []string{"in ?0 ?1", "at ?1 ?2"}, eff: []string{"del in ?0 ?1", "at ?0 ?2"}},
		{name: "drive-truck", params: "truck location location city", pre: []string{"at ?0 ?1", "in-city ?1 ?3", "in-city ?2 ?3"}, eff: []string{"del at ?0 ?1", "at ?0 ?2"}},
		{name: "fly-airplane", params: "airplane airport airport", pre: []string{"at ?0 ?1"}, eff: []string{"del at ?0 ?1", "at ?0 ?2"}},
	}
	task := buildTask(t, sp)
	// location = place + airport
	task.TypeObjects["location"] = append(append([]int(nil), task.TypeObjects["place"]...), task.TypeObjects["airport"]...)
	return task
}
