package toolmaker

import (
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
