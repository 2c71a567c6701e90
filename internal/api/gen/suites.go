package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sort"

	"github.com/iamd/iamd/internal/api/internal/botomodel"
)

// generateSuites generates one package holding the shapes and operations of
// botocore Query protocol test suites. Each suite's shapes and operations
// get a prefix (file letter + suite index, e.g. B07) so that suites do not
// collide; Ops maps "<file>#<suite>/<operation>" to type-erased codecs.
func generateSuites(paths []string, pkg string) (map[string][]byte, error) {
	m := &botomodel.Model{
		Metadata:   botomodel.Metadata{Protocol: "query", ServiceID: "protocoltest"},
		Operations: map[string]*botomodel.Operation{},
		Shapes:     map[string]*botomodel.Shape{},
	}
	var ops []*opInfo
	var sources []string
	for fi, path := range paths {
		suites, err := botomodel.LoadSuites(path)
		if err != nil {
			return nil, err
		}
		base := filepath.Base(path)
		sources = append(sources, base)
		for si, s := range suites {
			prefix := fmt.Sprintf("%c%02d", 'A'+fi, si)
			rename := func(n string) string { return prefix + n }
			for name, sh := range s.Shapes {
				c := *sh
				c.Members = nil
				for _, mem := range sh.Members {
					r := renamed(mem.Ref, rename)
					c.Members = append(c.Members, botomodel.Member{Name: mem.Name, Ref: r})
				}
				c.Member, c.Key, c.Value = renamed(sh.Member, rename), renamed(sh.Key, rename), renamed(sh.Value, rename)
				m.Shapes[rename(name)] = &c
			}
			seen := map[string]bool{}
			for _, cs := range s.Cases {
				given := cs.Given
				if seen[given.Name] {
					continue
				}
				seen[given.Name] = true
				op := given
				op.Input, op.Output = renamed(given.Input, rename), renamed(given.Output, rename)
				id := rename(exported(given.Name))
				m.Operations[id] = &op
				ops = append(ops, &opInfo{name: id, goVar: id, key: fmt.Sprintf("%s#%d/%s", base, si, given.Name)})
			}
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].goVar < ops[j].goVar })
	g := newGenerator(m, pkg, fmt.Sprint(sources), styles["plain"])
	g.suites = true
	g.ops = ops
	files, err := g.generate()
	if err != nil {
		return nil, err
	}
	return files, nil
}

func renamed(r *botomodel.Ref, rename func(string) string) *botomodel.Ref {
	if r == nil {
		return nil
	}
	c := *r
	c.Shape = rename(r.Shape)
	return &c
}

// writeSuiteIndex writes the Ops table of protocol-test mode. The wire name
// of each operation is the model's (it only matters to the Router).
func (g *generator) writeSuiteIndex(b *bytes.Buffer) {
	b.WriteString(`// Op is one protocol-test operation with type-erased codecs.
type Op struct {
	// Decode decodes and validates the input.
	Decode func(awsquery.Values) (any, error)
	// NewOutput returns a new, empty output.
	NewOutput func() any
	// Encode writes an output made by NewOutput.
	Encode func(*awsquery.Encoder, any)
}

// Ops maps "<file>#<suite index>/<operation>" to the operation's codecs.
var Ops = map[string]Op{
`)
	for _, op := range g.ops {
		fmt.Fprintf(b, "\t%q: {\n", op.key)
		fmt.Fprintf(b, "\t\tDecode: func(v awsquery.Values) (any, error) { return %s.Decode(v) },\n", op.goVar)
		fmt.Fprintf(b, "\t\tNewOutput: func() any { return new(%s) },\n", op.outType)
		fmt.Fprintf(b, "\t\tEncode: func(e *awsquery.Encoder, v any) { %s.Encode(e, v.(*%s)) },\n", op.goVar, op.outType)
		b.WriteString("\t},\n")
	}
	b.WriteString("}\n")
}
