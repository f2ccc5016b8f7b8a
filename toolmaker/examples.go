package toolmaker

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// ReadExamples reads the examples of a family from JSON lines, one
// {"input": ..., "target": ...} object a line (blank lines skipped), as
// "toolsmith tool make --examples" takes them. Both fields must be present
// and not blank; other fields are errors. Errors start with name and the
// line number.
func ReadExamples(name string, r io.Reader) ([]registry.Example, error) {
	var exs []registry.Example
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var ex registry.Example
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&ex); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, n, err)
		}
		if strings.TrimSpace(ex.Input) == "" || strings.TrimSpace(ex.Target) == "" {
			return nil, fmt.Errorf("%s:%d: an example needs an input and a target", name, n)
		}
		exs = append(exs, ex)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(exs) == 0 {
		return nil, fmt.Errorf("%s: no examples", name)
	}
	return exs, nil
}
