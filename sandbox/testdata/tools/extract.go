package tool

import (
	"encoding/json"
	"regexp"
	"strconv"
)

// Item is one priced item found in a text.
type Item struct {
	Name  string  `json:"name"`
	Price float64 `json:"price"`
}

var priced = regexp.MustCompile(`(\w+) costs \$(\d+(?:\.\d+)?)`)

// Extract finds "NAME costs $PRICE" phrases and returns them as JSON text
// and as a total.
func Extract(text string) (string, float64) {
	var items []Item
	total := 0.0
	for _, m := range priced.FindAllStringSubmatch(text, -1) {
		p, _ := strconv.ParseFloat(m[2], 64)
		items = append(items, Item{Name: m[1], Price: p})
		total += p
	}
	b, _ := json.Marshal(items)
	return string(b), total
}
