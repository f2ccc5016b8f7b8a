package toolmaker

import (
	"errors"
	"regexp"
	"strings"
)

// errNoCode reports a Maker reply that holds no Go source.
var errNoCode = errors.New("the reply contains no Go code: reply with one Go file in a ```go code block")

// fenceRe matches a fenced code block; group 1 is its info string, group 2
// its body.
var fenceRe = regexp.MustCompile("(?s)```([a-zA-Z]*)[^\\n]*\\n(.*?)```")

// extractCode returns the Go source of a Maker reply: the fenced block that
// declares Solve (else the first Go block), or, without fences, the reply
// from its package clause or first func. A source without a package clause
// gets "package tool".
func extractCode(reply string) (string, error) {
	var code string
	blocks := fenceRe.FindAllStringSubmatch(reply, -1)
	for _, b := range blocks {
		if strings.Contains(b[2], "func Solve") {
			code = b[2]
			break
		}
	}
	if code == "" {
		for _, b := range blocks {
			if b[1] == "go" || b[1] == "golang" {
				code = b[2]
				break
			}
		}
	}
	if code == "" && len(blocks) == 0 {
		if i := indexLineStart(reply, "package "); i >= 0 {
			code = reply[i:]
		} else if i := indexLineStart(reply, "func "); i >= 0 {
			code = reply[i:]
		}
	}
	code = strings.TrimSpace(code)
	if code == "" || !strings.Contains(code, "func ") {
		return "", errNoCode
	}
	if indexLineStart(code, "package ") < 0 {
		code = "package tool\n\n" + code
	}
	return code + "\n", nil
}

// indexLineStart returns the index of the first occurrence of prefix at the
// start of a line of s, or -1.
func indexLineStart(s, prefix string) int {
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], prefix) {
			return i
		}
		j := strings.IndexByte(s[i:], '\n')
		if j < 0 {
			return -1
		}
		i += j + 1
	}
	return -1
}
