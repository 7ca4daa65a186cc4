// The reference for DockerIgnoreGoReferenceIT: Docker's own pattern matcher (moby/patternmatcher, as Debian's
// golang-github-moby-patternmatcher-dev packages it) over the cases the test writes on standard input:
//
//	case
//	p <pattern>      (one line per pattern, as read from .dockerignore)
//	f <path>         (one line per path, parents before their entries)
//	end
//
// For each case it prints "<path>\t<excluded>" per path, walking as Docker does (MatchesUsingParentResults with the
// parent folder's result), or "error" when the patterns are refused, then "done".
package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/moby/patternmatcher"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	var patterns, paths []string
	for in.Scan() {
		line := in.Text()
		switch {
		case line == "case":
			patterns, paths = nil, nil
		case strings.HasPrefix(line, "p "):
			patterns = append(patterns, line[2:])
		case strings.HasPrefix(line, "f "):
			paths = append(paths, line[2:])
		case line == "end":
			run(out, patterns, paths)
			fmt.Fprintln(out, "done")
		}
	}
}

func run(out *bufio.Writer, patterns, paths []string) {
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		fmt.Fprintln(out, "error")
		return
	}
	results := map[string]patternmatcher.MatchInfo{}
	var lines []string
	for _, p := range paths {
		excluded, info, err := pm.MatchesUsingParentResults(p, results[filepath.Dir(p)])
		if err != nil {
			fmt.Fprintln(out, "error")
			return
		}
		results[p] = info
		lines = append(lines, fmt.Sprintf("%s\t%v", p, excluded))
	}
	for _, l := range lines {
		fmt.Fprintln(out, l)
	}
}
