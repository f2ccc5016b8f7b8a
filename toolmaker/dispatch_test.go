package toolmaker

import (
	"context"
	"testing"

	"github.com/toolsmith-dev/toolsmith/registry"
)

func TestPickTool(t *testing.T) {
	cands := []*registry.Tool{{Name: "word_sorting"}, {Name: "dyck_languages"}, {Name: "word_sorting_v2"}}
	tests := []struct{ reply, tool, family string }{
		{"word_sorting", "word_sorting", ""},
		{"  `Dyck_Languages`. ", "dyck_languages", ""},
		{"The right tool is dyck_languages.", "dyck_languages", ""},
		{"word_sorting_v2", "word_sorting_v2", ""},
		{"use word_sorting_v2 please", "word_sorting_v2", ""},
		{"word_sorting or dyck_languages", "", ""},
		{"unknown", "", ""},
		{"Unknown: arithmetic", "", "arithmetic"},
		{"unknown - multi word name", "", ""},
		{"something else", "", ""},
		{"", "", ""},
	}
	for _, tc := range tests {
		tool, fam := pickTool(tc.reply, cands)
		name := ""
		if tool != nil {
			name = tool.Name
		}
		if name != tc.tool || fam != tc.family {
			t.Errorf("pickTool(%q) = %q, %q; want %q, %q", tc.reply, name, fam, tc.tool, tc.family)
		}
	}
}

func FuzzPickTool(f *testing.F) {
	f.Add("word_sorting")
	f.Add("unknown: x")
	f.Add("dyck_languages word_sorting")
	cands := []*registry.Tool{{Name: "word_sorting"}, {Name: "dyck_languages"}}
	f.Fuzz(func(t *testing.T, reply string) {
		tool, fam := pickTool(reply, cands)
		if tool != nil && fam != "" {
			t.Fatalf("both a tool and a new family for %q", reply)
		}
		if fam != "" && !registry.ValidName(fam) {
			t.Fatalf("invalid family %q from %q", fam, reply)
		}
	})
}

func TestDispatch(t *testing.T) {
	rules := "rules:\n  - role: dispatcher\n    when: 'Request to route:\\nSort'\n    reply: ws\n  - role: dispatcher\n    reply: I cannot tell\n"
	f := newFixture(t, rules, Options{})
	putTool(t, f, wordSort)
	ctx := context.Background()
	d, err := f.tm.Dispatch(ctx, "Sort the following words alphabetically: List: b a")
	if err != nil || d.Tool == nil || d.Tool.Name != "ws" || d.Family != "ws" || len(d.Candidates) != 1 || d.Reply != "ws" || d.ByParse {
		t.Fatalf("%+v, %v", d, err)
	}
	d, err = f.tm.Dispatch(ctx, "Which words are alphabetically first?")
	if err != nil || d.Tool != nil || d.Family != "" || len(d.Candidates) != 1 {
		t.Fatalf("%+v, %v; want unknown", d, err)
	}
	d, err = f.tm.Dispatch(ctx, "zzz qqq")
	if err != nil || d.Tool != nil || len(d.Candidates) != 0 || d.Reply != "" {
		t.Fatalf("%+v, %v; want no candidate and no model call", d, err)
	}
}
