package main

import (
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/agent/agenttest"
)

func TestChatConversation(t *testing.T) {
	t.Setenv("TOOLSMITH_STORE", "")
	t.Setenv("REDIS_URL", "")
	travel := filepath.Join("..", "..", "examples", "travel")
	in := strings.Join([]string{
		"Book me a rental car in San Diego from Oct 5 for 3 days",
		"/plan",
		"10:30 works",
		"yes",
		"/cost",
		"/history",
		"/tools",
		"/quit",
		"never read",
	}, "\n")
	code, out, errOut := runCLI(t, in, "--home", t.TempDir(), "--scripted", filepath.Join(travel, "scripted.yaml"),
		"chat", "--apis", filepath.Join(travel, "apis.yaml"), "--session", "s1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"session s1",
		"What time on October 5",           // the question
		"ask pickup_time",                  // /plan
		"call RentalCars.GetCarsAvailable", // the calls
		"Shall I go ahead?",                // confirmation
		"reservation R-77031",              // the answer
		"translator",                       // /cost table
		"call ",                            // /history
		"RentalCars.ReserveCar — Reserve a rental", // /tools
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// /history lists the session's events with their times.
	for _, kind := range []string{"message", "plan", "questions", "answers", "confirm", "call", "reply"} {
		if !regexp.MustCompile(`(?m)^(you> )?  \d\d:\d\d:\d\d ` + kind + ` +[{[]`).MatchString(out) {
			t.Errorf("/history shows no %s event:\n%s", kind, out)
		}
	}
	if !strings.Contains(errOut, "scripted model") {
		t.Errorf("no scripted-model notice on stderr: %q", errOut)
	}
}

// TestChatChoice runs a choice in chat over a pet service whose document
// names no server: the base URL comes from the namespace's settings, the
// list is read, its pets are offered numbered, and only the one picked is
// deleted, after confirmation.
func TestChatChoice(t *testing.T) {
	t.Setenv("TOOLSMITH_STORE", "")
	t.Setenv("REDIS_URL", "")
	pets := &agenttest.PetStore{}
	srv := httptest.NewServer(pets)
	defer srv.Close()
	apis, script := agenttest.PetsFiles(t)
	home := t.TempDir()
	if code, _, errOut := runCLI(t, "", "--home", home, "settings", "set", "base_url="+srv.URL); code != 0 {
		t.Fatalf("settings set: exit %d: %s", code, errOut)
	}
	in := "Delete one of my pets\nthe second one\nyes\n"
	code, out, errOut := runCLI(t, in, "--home", home, "--scripted", script, "chat", "--apis", apis)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"call listPets {}",
		"Which pet should I delete?\n  1. 1 (name: Rex, tag: dog)\n  2. 2 (name: Tom)",
		`I am about to call deletePet with {"petId":2}. Shall I go ahead?`,
		`call deletePet {"petId":2}`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if d := pets.Deleted(); !slices.Equal(d, []string{"2"}) {
		t.Errorf("deleted %v, want [2]", d)
	}
}
