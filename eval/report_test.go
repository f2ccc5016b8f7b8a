package eval

import (
	"strings"
	"testing"
)

// fixed is a Result with a fixed layout.
type fixed struct {
	Name string `json:"name"`
	rep  Report
}

func (f fixed) Report() Report { return f.rep }

func TestWrite(t *testing.T) {
	tab := Table{Columns: []Column{{Name: "domain"}, {Name: "n", Right: true}, {Name: "valid", Right: true}},
		Rows: [][]string{{"blocksworld", "20", "90%"}, {"a|b", "3"}}}
	tests := []struct {
		name string
		rep  Report
		want string
	}{
		{"everything", Report{Sections: []Section{
			{Title: "LLM+P", Facts: []string{"scripted"}, Table: tab, Notes: []string{"note one", "  note two"}},
			{Notes: []string{"second section"}},
		}}, "## LLM+P\n\n- scripted\n\n" +
			"| domain      |   n | valid |\n" +
			"| ----------- | --: | ----: |\n" +
			"| blocksworld |  20 |   90% |\n" +
			"| a\\|b        |   3 |       |\n" +
			"\nnote one\n  note two\n\nsecond section\n"},
		{"notes only", Report{Sections: []Section{{Notes: []string{"x"}}}}, "x\n"},
		{"empty", Report{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := Write(&b, fixed{rep: tt.rep}, Markdown); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", b.String(), tt.want)
			}
		})
	}
	var b strings.Builder
	if err := Write(&b, fixed{Name: "x"}, JSON); err != nil || b.String() != "{\n  \"name\": \"x\"\n}\n" {
		t.Errorf("JSON: %q, %v", b.String(), err)
	}
}

func TestPercent(t *testing.T) {
	for x, want := range map[float64]string{1: "100%", 0: "0%", 0.925: "92.5%", 2.0 / 3: "66.7%"} {
		if got := percent(x); got != want {
			t.Errorf("percent(%v) = %q, want %q", x, got, want)
		}
	}
}
