package llm

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Price is what a model costs, in USD per million tokens.
type Price struct {
	Input  float64 `json:"input_per_mtok"`
	Output float64 `json:"output_per_mtok"`
	// Source says where the price came from: "default", "config" (Config.Prices
	// or TOOLSMITH_PRICES), "local" (a model served on your own machine) or
	// "unknown" (no price known; costs show as 0).
	Source string `json:"source"`
}

// Cost returns the cost in USD of a call with the given token counts.
func (p Price) Cost(inputTokens, outputTokens int) float64 {
	return (float64(inputTokens)*p.Input + float64(outputTokens)*p.Output) / 1e6
}

// DefaultPrices returns list prices, USD per million input/output tokens, of
// well-known models, keyed by model name. A key also matches dated and
// suffixed versions of the name ("gpt-4.1" matches "gpt-4.1-2025-04-14" but
// not "gpt-4.1-mini", which has its own key).
func DefaultPrices() map[string]Price {
	d := func(in, out float64) Price { return Price{Input: in, Output: out, Source: "default"} }
	return map[string]Price{
		// OpenAI
		"gpt-5":         d(1.25, 10),
		"gpt-5-mini":    d(0.25, 2),
		"gpt-5-nano":    d(0.05, 0.4),
		"gpt-4.1":       d(2, 8),
		"gpt-4.1-mini":  d(0.4, 1.6),
		"gpt-4.1-nano":  d(0.1, 0.4),
		"gpt-4o":        d(2.5, 10),
		"gpt-4o-mini":   d(0.15, 0.6),
		"gpt-4-turbo":   d(10, 30),
		"gpt-4":         d(30, 60),
		"gpt-3.5-turbo": d(0.5, 1.5),
		"o3":            d(2, 8),
		"o3-mini":       d(1.1, 4.4),
		"o4-mini":       d(1.1, 4.4),
		"o1":            d(15, 60),
		// Anthropic
		"claude-opus-4-5":   d(5, 25),
		"claude-opus-4-1":   d(15, 75),
		"claude-opus-4":     d(15, 75),
		"claude-sonnet-4-5": d(3, 15),
		"claude-sonnet-4":   d(3, 15),
		"claude-3-7-sonnet": d(3, 15),
		"claude-3-5-sonnet": d(3, 15),
		"claude-haiku-4-5":  d(1, 5),
		"claude-3-5-haiku":  d(0.8, 4),
		"claude-3-haiku":    d(0.25, 1.25),
		"claude-3-opus":     d(15, 75),
		// Google
		"gemini-2.5-pro":        d(1.25, 10),
		"gemini-2.5-flash":      d(0.3, 2.5),
		"gemini-2.5-flash-lite": d(0.1, 0.4),
		"gemini-2.0-flash":      d(0.1, 0.4),
		"gemini-2.0-flash-lite": d(0.075, 0.3),
		// Mistral
		"mistral-large":  d(2, 6),
		"mistral-medium": d(0.4, 2),
		"mistral-small":  d(0.1, 0.3),
		"codestral":      d(0.3, 0.9),
	}
}

// PriceFor returns the price of the model named by spec. An override keyed
// by the spec wins; otherwise the longest matching model name in overrides
// or DefaultPrices wins, overrides on a tie (so an override for "gpt-4.1"
// does not reprice "gpt-4.1-mini"). Models served locally (ollama,
// openai-compatible) cost nothing unless overridden.
func PriceFor(spec Spec, overrides map[string]Price) Price {
	if p, ok := overrides[spec.String()]; ok {
		p.Source = "config"
		return p
	}
	ok, op := lookupPrice(spec.Model, overrides)
	op.Source = "config"
	if spec.Provider == Ollama || spec.Provider == OpenAICompatible {
		if ok != "" {
			return op
		}
		return Price{Source: "local"}
	}
	dk, dp := lookupPrice(spec.Model, DefaultPrices())
	switch {
	case ok != "" && len(ok) >= len(dk):
		return op
	case dk != "":
		return dp
	}
	return Price{Source: "unknown"}
}

// lookupPrice finds the longest key of table that is model itself or a
// prefix of model followed by '-', '@' or ':'; key is "" when none is.
func lookupPrice(model string, table map[string]Price) (key string, p Price) {
	for k := range table {
		if k == "" || !strings.HasPrefix(model, k) || len(k) <= len(key) {
			continue
		}
		if len(model) > len(k) && !strings.ContainsRune("-@:", rune(model[len(k)])) {
			continue
		}
		key = k
	}
	return key, table[key]
}

// ParsePrices parses "model=in/out,..." (USD per million input and output
// tokens) as in TOOLSMITH_PRICES.
func ParsePrices(s string) (map[string]Price, error) {
	out := map[string]Price{}
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		i := strings.LastIndex(item, "=")
		if i <= 0 {
			return nil, fmt.Errorf("price %q: expected model=input/output in USD per million tokens, e.g. gpt-4.1=2/8", item)
		}
		in, outp, ok := strings.Cut(item[i+1:], "/")
		a, err1 := strconv.ParseFloat(strings.TrimSpace(in), 64)
		b, err2 := strconv.ParseFloat(strings.TrimSpace(outp), 64)
		if !ok || err1 != nil || err2 != nil || !finite(a) || !finite(b) {
			return nil, fmt.Errorf("price %q: expected model=input/output in USD per million tokens, e.g. gpt-4.1=2/8", item)
		}
		out[strings.TrimSpace(item[:i])] = Price{Input: a, Output: b, Source: "config"}
	}
	return out, nil
}

func finite(x float64) bool { return x >= 0 && !math.IsInf(x, 0) && !math.IsNaN(x) }
