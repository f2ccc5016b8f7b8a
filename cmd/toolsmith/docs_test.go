//go:build unix

package main

// TestDocsRunAsWritten runs every command of README.md, docs/guides/*.md and
// examples/*/README.md as a reader would type it, from a fresh copy of the
// repository (each document from its root).
//
// Which lines are commands:
//   - in a fenced block whose lines start with "$ " (a transcript), each
//     "$ " line is a command (with its "\" continuation lines) and the lines
//     up to the next "$ " are its documented output;
//   - in a block labelled sh, bash or shell without "$ " prompts, every line
//     is a command (with its continuation lines), except comments;
//   - other blocks (unlabelled without prompts, go, json, yaml, text, ...)
//     are not commands: synopses belong in text blocks.
//
// A block that cannot run in a test (it needs a live model key, the shared
// data set outside the repository, a long-running server...) is marked by
// an HTML comment on the line before its opening fence, with the reason:
//
//	<!-- doc-test: skip needs OPENAI_API_KEY and the network -->
//
// Each document runs as one shell session (bash), blocks in order, so a cd
// or export carries over to the next block as it does for a reader; it
// starts at the root of its own copy of the repository with a fresh
// TOOLSMITH_HOME and TMPDIR, no model, store or provider settings from the
// environment, and the toolsmith binary (built once) first on PATH.
// Processes a command leaves in the background ("... &") are stopped when
// the document ends.
//
// A command fails when it exits with a status other than 0, unless
//   - the transcript shows the status: the command prints $? itself
//     ("...; echo $?") or the next command is "echo $?"; the printed
//     value must then be the documented one;
//   - it is "toolsmith asp solve", whose 10, 20 and 30 are clingo's answers
//     (satisfiable, unsatisfiable, optimum proven).
//
// The test reports each failing command as file:line of the document.
//
// TestDocsGoProgramsCompile type-checks (go vet) every go block of the same
// documents that is a whole program (package main), as the guides promise.

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// docCommand is one command of a document.
type docCommand struct {
	Line int    // line of the document where the command starts
	Text string // the command as bash reads it (continuation lines joined by newlines)
	// Output is the documented output (transcripts only), nil when none is shown.
	Output []string
	// ShowsStatus is set when the command prints its own status or the next
	// command of its block is "echo $?".
	ShowsStatus bool
}

// docBlock is one fenced block holding commands.
type docBlock struct {
	Line     int // line of the opening fence
	Skip     string
	Commands []docCommand
}

var (
	fenceRE     = regexp.MustCompile("^(```+|~~~+)\\s*([^`\\s]*)")
	directiveRE = regexp.MustCompile(`^<!--\s*doc-test:\s*(\S+)\s*(.*?)\s*-->\s*$`)
	statusRE    = regexp.MustCompile(`echo\s+("[^"]*)?\$\?`)
)

// parseDocBlocks returns the fenced blocks of a Markdown document that hold
// commands, with their skip directives.
func parseDocBlocks(name string, src []byte) ([]docBlock, error) {
	var (
		blocks    []docBlock
		lines     = strings.Split(string(src), "\n")
		directive string
		dirLine   int
	)
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if m := directiveRE.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			if m[1] != "skip" {
				return nil, fmt.Errorf("%s:%d: unknown doc-test directive %q (want: skip REASON)", name, i+1, m[1])
			}
			if m[2] == "" {
				return nil, fmt.Errorf("%s:%d: doc-test skip without a reason", name, i+1)
			}
			directive, dirLine = m[2], i+1
			continue
		}
		m := fenceRE.FindStringSubmatch(line)
		if m == nil {
			if strings.TrimSpace(line) != "" && directive != "" {
				return nil, fmt.Errorf("%s:%d: doc-test directive not followed by a fenced block", name, dirLine)
			}
			continue
		}
		fence, lang := m[1], m[2]
		start := i + 1
		var body []string
		for i++; i < len(lines); i++ {
			t := strings.TrimRight(lines[i], " \t")
			if strings.HasPrefix(t, fence[:3]) && strings.Trim(t, fence[:1]) == "" && len(t) >= len(fence) {
				break
			}
			body = append(body, lines[i])
		}
		cmds := blockCommands(lang, body, start+1)
		skip := directive
		directive = ""
		if len(cmds) == 0 {
			if skip != "" {
				return nil, fmt.Errorf("%s:%d: doc-test skip on a block without commands", name, dirLine)
			}
			continue
		}
		blocks = append(blocks, docBlock{Line: start, Skip: skip, Commands: cmds})
	}
	return blocks, nil
}

// blockCommands extracts the commands of one block whose first body line is
// line first of the document.
func blockCommands(lang string, body []string, first int) []docCommand {
	shell := lang == "sh" || lang == "bash" || lang == "shell" || lang == "console"
	if !shell && lang != "" {
		return nil
	}
	transcript := false
	for _, l := range body {
		if strings.HasPrefix(l, "$ ") {
			transcript = true
			break
		}
	}
	if !transcript && (lang == "" || lang == "console") {
		return nil
	}
	var cmds []docCommand
	for i := 0; i < len(body); i++ {
		l := body[i]
		var text string
		switch {
		case transcript && strings.HasPrefix(l, "$ "):
			text = strings.TrimPrefix(l, "$ ")
		case transcript:
			if n := len(cmds); n > 0 {
				cmds[n-1].Output = append(cmds[n-1].Output, l)
			}
			continue
		case strings.TrimSpace(l) == "" || strings.HasPrefix(strings.TrimSpace(l), "#"):
			continue
		default:
			text = l
		}
		c := docCommand{Line: first + i, Text: text}
		for continues(text) && i+1 < len(body) {
			i++
			text = body[i]
			c.Text += "\n" + text
		}
		c.ShowsStatus = statusRE.MatchString(c.Text)
		if n := len(cmds); n > 0 && strings.TrimSpace(c.Text) == "echo $?" {
			cmds[n-1].ShowsStatus = true
		}
		cmds = append(cmds, c)
	}
	return cmds
}

// continues reports whether a command line goes on on the next line: it
// ends with a backslash, a pipe or an and/or list operator.
func continues(line string) bool {
	t := strings.TrimRight(line, " \t")
	for _, end := range []string{"\\", "|", "&&"} {
		if strings.HasSuffix(t, end) {
			return true
		}
	}
	return false
}

// docProgram is a go block of a document that is a whole program.
type docProgram struct {
	File string // the document, relative to the repository
	Line int    // line of the block's first line of code
	Src  string
}

// docPrograms returns the go blocks of src that are whole programs: their
// first line that is not a comment says package main.
func docPrograms(rel string, src []byte) []docProgram {
	var out []docProgram
	lines := strings.Split(string(src), "\n")
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "```go") {
			continue
		}
		start := i + 1
		for i++; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
		}
		body := lines[start:min(i, len(lines))]
		for _, l := range body {
			t := strings.TrimSpace(l)
			if t == "" || strings.HasPrefix(t, "//") {
				continue
			}
			if t == "package main" {
				out = append(out, docProgram{File: rel, Line: start + 1, Src: strings.Join(body, "\n") + "\n"})
			}
			break
		}
	}
	return out
}

func TestDocsGoProgramsCompile(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("the go command is needed: %v", err)
	}
	repo := filepath.Join(t.TempDir(), "repo")
	if err := copyRepo(root, repo); err != nil {
		t.Fatal(err)
	}
	// Each program becomes a package of its own in the copy; its directory
	// name leads back to the document.
	where := map[string]docProgram{}
	for _, file := range docFiles(t, root) {
		rel, _ := filepath.Rel(root, file)
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range docPrograms(rel, src) {
			name := fmt.Sprintf("%s_%d", strings.NewReplacer("/", "_", ".", "_").Replace(rel), p.Line)
			dir := filepath.Join(repo, "docprograms", name)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(p.Src), 0o644); err != nil {
				t.Fatal(err)
			}
			where[name] = p
		}
	}
	if len(where) == 0 {
		t.Fatal("no Go programs found in the documents")
	}
	vet := exec.Command(gobin, "vet", "./docprograms/...")
	vet.Dir = repo
	vet.Env = append(os.Environ(), goEnv(t, gobin)...)
	out, err := vet.CombinedOutput()
	if err == nil {
		t.Logf("%d Go programs of the documents compile", len(where))
		return
	}
	// Point each message at the document: docprograms/NAME/main.go:L:C
	// becomes FILE:LINE+L-1:C.
	re := regexp.MustCompile(`(?:\./)?docprograms/(\w+)/main\.go:(\d+)`)
	msg := re.ReplaceAllStringFunc(string(out), func(m string) string {
		sub := re.FindStringSubmatch(m)
		p, ok := where[sub[1]]
		if !ok {
			return m
		}
		n, _ := strconv.Atoi(sub[2])
		return fmt.Sprintf("%s:%d", p.File, p.Line+n-1)
	})
	t.Errorf("go vet of the documents' programs: %v\n%s", err, msg)
}

// docFiles are the documents whose commands must run.
func docFiles(t *testing.T, root string) []string {
	t.Helper()
	guides, err := filepath.Glob(filepath.Join(root, "docs", "guides", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	examples, err := filepath.Glob(filepath.Join(root, "examples", "*", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	return append(append([]string{filepath.Join(root, "README.md")}, guides...), examples...)
}

func TestDocsRunAsWritten(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("the go command is needed to build toolsmith: %v", err)
	}
	env := goEnv(t, gobin)

	binDir := t.TempDir()
	// -trimpath (as make build has it) keeps the directory out of the build
	// cache's keys, so that a document's own go build in its copy of the
	// repository reuses these packages instead of compiling them again.
	build := exec.Command(gobin, "build", "-trimpath", "-o", filepath.Join(binDir, "toolsmith"), ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	type tally struct{ run, skipped int }
	var (
		counts = map[string]tally{}
		skips  []string
	)
	sem := make(chan struct{}, max(2, runtime.NumCPU()))
	t.Run("docs", func(t *testing.T) {
		for _, file := range docFiles(t, root) {
			rel, _ := filepath.Rel(root, file)
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			blocks, err := parseDocBlocks(rel, src)
			if err != nil {
				t.Error(err)
				continue
			}
			var n tally
			for _, b := range blocks {
				if b.Skip != "" {
					n.skipped += len(b.Commands)
					skips = append(skips, fmt.Sprintf("%s:%d (%d commands): %s", rel, b.Line, len(b.Commands), b.Skip))
				} else {
					n.run += len(b.Commands)
				}
			}
			counts[rel] = n
			if n.run == 0 {
				continue
			}
			// One level of subtests: -run 'TestDocsRunAsWritten/docs/asp' picks a guide.
			t.Run(strings.ReplaceAll(rel, "/", "_"), func(t *testing.T) {
				t.Parallel()
				sem <- struct{}{}
				defer func() { <-sem }()
				runDoc(t, rel, root, binDir, env, blocks)
			})
		}
	})
	var total tally
	for f, n := range counts {
		t.Logf("%s: %d commands run, %d skipped", f, n.run, n.skipped)
		total.run += n.run
		total.skipped += n.skipped
	}
	t.Logf("all documents: %d commands run, %d skipped", total.run, total.skipped)
	for _, s := range skips {
		t.Logf("skipped %s", s)
	}
}

// goEnv returns the go command's cache and module settings, so that a
// command of a document that runs go finds the caches although HOME is a
// fresh directory.
func goEnv(t *testing.T, gobin string) []string {
	t.Helper()
	keys := []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOROOT", "GOPROXY", "GOFLAGS"}
	out, err := exec.Command(gobin, append([]string{"env"}, keys...)...).Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	vals := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	env := []string{"CGO_ENABLED=0"}
	for i, k := range keys {
		v := ""
		if i < len(vals) {
			v = vals[i]
		}
		if k == "GOFLAGS" {
			v = strings.TrimSpace(v + " -trimpath")
		}
		env = append(env, k+"="+v)
	}
	return env
}

// runDoc runs the blocks of one document in one bash session in a copy of
// the repository, and reports every command that fails.
func runDoc(t *testing.T, rel, root, binDir string, goEnv []string, blocks []docBlock) {
	work := t.TempDir()
	repo := filepath.Join(work, "repo")
	if err := copyRepo(root, repo); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"home", "toolsmith", "tmp"} {
		if err := os.Mkdir(filepath.Join(work, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	statusFile := filepath.Join(work, "status")

	var script strings.Builder
	script.WriteString("exec 3>" + strconv.Quote(statusFile) + "\n")
	script.WriteString("trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null' EXIT\n")
	script.WriteString("__rc=0\n")
	var cmds []docCommand
	for _, b := range blocks {
		if b.Skip != "" {
			continue
		}
		for _, c := range b.Commands {
			fmt.Fprintf(&script, "printf '\\n@@doc-test %d\\n'; printf '\\n@@doc-test %d\\n' >&2\n", c.Line, c.Line)
			script.WriteString("__t0=$EPOCHREALTIME; (exit $__rc)\n")
			script.WriteString(c.Text + "\n")
			fmt.Fprintf(&script, "__rc=$?; printf '%%d %%d %%s %%s\\n' %d $__rc $__t0 $EPOCHREALTIME >&3\n", c.Line)
			cmds = append(cmds, c)
		}
	}
	scriptFile := filepath.Join(work, "doc.sh")
	if err := os.WriteFile(scriptFile, []byte(script.String()), 0o644); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", scriptFile)
	cmd.Dir = repo
	cmd.Env = append([]string{
		"PATH=" + binDir + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME=" + filepath.Join(work, "home"),
		"TOOLSMITH_HOME=" + filepath.Join(work, "toolsmith"),
		"TMPDIR=" + filepath.Join(work, "tmp"),
		"LANG=C.UTF-8",
		"TERM=dumb",
		"NO_COLOR=1",
	}, goEnv...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// The session and whatever it starts form one process group, stopped
	// as a whole on timeout and at the end, so no server outlives the test.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	runErr := cmd.Run()
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}

	statuses := map[int]int{}
	if data, err := os.ReadFile(statusFile); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			var line, rc int
			var t0, t1 float64
			if _, err := fmt.Sscanf(sc.Text(), "%d %d %g %g", &line, &rc, &t0, &t1); err == nil {
				statuses[line] = rc
				if d := time.Duration((t1 - t0) * float64(time.Second)); d > 2*time.Second {
					t.Logf("%s:%d: took %v", rel, line, d.Round(time.Millisecond))
				}
			}
		}
	}
	outs, errs := splitByMarker(stdout.String()), splitByMarker(stderr.String())
	for _, c := range cmds {
		rc, ran := statuses[c.Line]
		if !ran {
			t.Errorf("%s:%d: did not finish (%v): %s\nstderr:\n%s", rel, c.Line, runErr, c.Text, indent(errs[c.Line]))
			break
		}
		if msg := checkCommand(c, rc, outs[c.Line]); msg != "" {
			t.Errorf("%s:%d: %s: %s\nstdout:\n%s\nstderr:\n%s", rel, c.Line, msg, c.Text, indent(clip(outs[c.Line])), indent(clip(errs[c.Line])))
		}
	}
}

// checkCommand says why a command that exited with rc and printed out
// fails, or "" when it ran as documented.
func checkCommand(c docCommand, rc int, out string) string {
	if statusRE.MatchString(c.Text) && len(c.Output) > 0 {
		want := lastLine(strings.Join(c.Output, "\n"))
		got := lastLine(out)
		if want != "" && want != "..." && got != want {
			return fmt.Sprintf("prints %q where the document shows %q", got, want)
		}
	}
	if rc == 0 || c.ShowsStatus {
		return ""
	}
	if rc == 10 || rc == 20 || rc == 30 {
		if f := strings.Fields(c.Text); len(f) >= 3 && f[0] == "toolsmith" && f[1] == "asp" && f[2] == "solve" {
			return ""
		}
	}
	return fmt.Sprintf("exit status %d", rc)
}

// splitByMarker maps each command's line to what it wrote to one stream.
func splitByMarker(s string) map[int]string {
	parts := map[int]string{}
	line := 0
	for _, chunk := range strings.Split(s, "\n@@doc-test ") {
		head, rest, _ := strings.Cut(chunk, "\n")
		if n, err := strconv.Atoi(head); err == nil {
			line = n
			parts[line] += rest
			continue
		}
		parts[line] += chunk
	}
	return parts
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n "), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// clip keeps the head and the tail of a long output: a crash's reason is
// at its start, a command's last words at its end.
func clip(s string) string {
	const n = 3000
	if len(s) > 2*n {
		return s[:n] + "\n...\n" + s[len(s)-n:]
	}
	return s
}

func indent(s string) string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return "\t(nothing)"
	}
	return "\t" + strings.ReplaceAll(s, "\n", "\n\t")
}

// copyRepo copies the files of the repository at root to dst, as a fresh
// clone has them: without .git and build outputs.
func copyRepo(root, dst string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		if rel == ".git" || rel == "bin" {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, info.Mode().Perm())
	})
}
