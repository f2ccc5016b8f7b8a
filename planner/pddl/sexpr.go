package pddl

// sexpr is a parsed S-expression: a list or a single token.
type sexpr struct {
	pos   Pos
	list  bool
	kind  tokKind // for tokens
	text  string  // for tokens
	items []*sexpr
	end   Pos // position of the closing parenthesis of a list
}

// maxDepth bounds list nesting so that hostile inputs cannot exhaust the
// stack; real PDDL nests a few dozen levels at most.
const maxDepth = 2000

// readSexprs reads every top-level S-expression of src.
func readSexprs(src []byte, errs *errorSink) []*sexpr {
	l := newLexer(src, errs)
	var top []*sexpr
	// An explicit stack instead of recursion: no depth limit needed for
	// the stack itself, but maxDepth still rejects absurd inputs.
	var stack []*sexpr
	for {
		t := l.next()
		switch t.kind {
		case tokEOF:
			if len(stack) > 0 {
				errs.add(stack[len(stack)-1].pos, "unclosed '(' (end of file reached)")
			}
			return top
		case tokLParen:
			if len(stack) >= maxDepth {
				errs.add(t.pos, "lists nested deeper than %d levels", maxDepth)
				return top
			}
			stack = append(stack, &sexpr{pos: t.pos, list: true})
		case tokRParen:
			if len(stack) == 0 {
				errs.add(t.pos, "unexpected ')'")
				continue
			}
			n := stack[len(stack)-1]
			n.end = t.pos
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				top = append(top, n)
			} else {
				p := stack[len(stack)-1]
				p.items = append(p.items, n)
			}
		default:
			n := &sexpr{pos: t.pos, kind: t.kind, text: t.text}
			if len(stack) == 0 {
				top = append(top, n)
			} else {
				p := stack[len(stack)-1]
				p.items = append(p.items, n)
			}
		}
	}
}

// head returns the lower-cased first token of a list, or "" when the list is
// empty or starts with a list.
func (s *sexpr) head() string {
	if !s.list || len(s.items) == 0 || s.items[0].list {
		return ""
	}
	return lower(s.items[0].text)
}

// isTok reports whether s is a token of kind k.
func (s *sexpr) isTok(k tokKind) bool { return !s.list && s.kind == k }

// describe names s for error messages.
func (s *sexpr) describe() string {
	if s.list {
		if h := s.head(); h != "" {
			return "(" + s.items[0].text + " ...)"
		}
		return "a list"
	}
	return "\"" + s.text + "\""
}
