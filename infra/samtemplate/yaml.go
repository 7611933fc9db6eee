package samtemplate

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// The templates are decoded from yaml.Node into a small generic tree:
//
//	*omap        mapping (keys kept in document order)
//	[]any        sequence
//	string       scalar (numbers and booleans too; see asInt / asBool)
//	nil          null
//	*Intrinsic   a CloudFormation function, short (!Ref X) or long ({Ref: X}) form
//
// Keeping every scalar as a string avoids guessing types that CloudFormation itself
// treats loosely (Timeout: "10" and Timeout: 10 are the same).

// Intrinsic is a CloudFormation intrinsic function: Name is the long form name
// ("Ref", "Condition", "Fn::GetAtt", "Fn::Sub", ...), Arg its decoded argument.
type Intrinsic struct {
	Name string
	Arg  any
}

type omap struct {
	keys []string
	m    map[string]any
}

func (o *omap) get(k string) (any, bool) {
	if o == nil {
		return nil, false
	}
	v, ok := o.m[k]
	return v, ok
}

// path follows nested mapping keys; nil when any step is missing or not a mapping.
func path(v any, keys ...string) any {
	for _, k := range keys {
		o, ok := v.(*omap)
		if !ok || o == nil {
			return nil
		}
		v = o.m[k]
	}
	return v
}

func asMap(v any) *omap {
	o, _ := v.(*omap)
	return o
}

func asString(v any) (string, bool) {
	s, ok := v.(string)
	return s, ok
}

func asInt(v any, def int) int {
	if s, ok := v.(string); ok {
		if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
			return n
		}
	}
	return def
}

func asBool(v any) bool {
	if s, ok := v.(string); ok {
		b, err := strconv.ParseBool(strings.TrimSpace(s))
		return err == nil && b
	}
	return false
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func decodeFile(data []byte) (*omap, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.Kind == 0 {
		return &omap{m: map[string]any{}}, nil
	}
	v, err := convert(&doc)
	if err != nil {
		return nil, err
	}
	o, ok := v.(*omap)
	if !ok {
		return nil, fmt.Errorf("top level is not a mapping")
	}
	return o, nil
}

// intrinsicName maps a short-form tag ("!GetAtt") to the long-form function name.
func intrinsicName(tag string) string {
	n := strings.TrimPrefix(tag, "!")
	switch n {
	case "Ref", "Condition":
		return n
	}
	return "Fn::" + n
}

func convert(n *yaml.Node) (any, error) {
	v, err := convertPlain(n)
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		return &Intrinsic{Name: intrinsicName(n.Tag), Arg: v}, nil
	}
	return v, nil
}

func convertPlain(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return convert(n.Content[0])
	case yaml.AliasNode:
		return convert(n.Alias)
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return nil, nil
		}
		return n.Value, nil
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := convert(c)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		o := &omap{m: make(map[string]any, len(n.Content)/2)}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("line %d: non-scalar mapping key", k.Line)
			}
			if k.Value == "<<" && val.Kind != yaml.ScalarNode { // YAML merge key
				src, err := convert(val)
				if err != nil {
					return nil, err
				}
				for _, m := range mergeSources(src) {
					for _, mk := range m.keys {
						if _, dup := o.m[mk]; !dup {
							o.keys = append(o.keys, mk)
							o.m[mk] = m.m[mk]
						}
					}
				}
				continue
			}
			v, err := convert(val)
			if err != nil {
				return nil, err
			}
			if _, dup := o.m[k.Value]; !dup {
				o.keys = append(o.keys, k.Value)
			}
			o.m[k.Value] = v
		}
		// Long form intrinsics: {Ref: X}, {"Fn::GetAtt": [A, B]}, {Condition: C} is
		// left alone because "Condition" is also a resource attribute name.
		if len(o.keys) == 1 {
			k := o.keys[0]
			if k == "Ref" || strings.HasPrefix(k, "Fn::") {
				return &Intrinsic{Name: k, Arg: o.m[k]}, nil
			}
		}
		return o, nil
	}
	return nil, fmt.Errorf("line %d: unsupported YAML node", n.Line)
}

func mergeSources(v any) []*omap {
	switch x := v.(type) {
	case *omap:
		return []*omap{x}
	case []any:
		var out []*omap
		for _, e := range x {
			if m, ok := e.(*omap); ok {
				out = append(out, m)
			}
		}
		return out
	}
	return nil
}
