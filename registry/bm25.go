package registry

import (
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Document is one searchable item: an ID and weighted text fields.
type Document struct {
	ID     string
	Fields []Field
}

// Field is a text with a weight: each term occurrence counts Weight times.
type Field struct {
	Text   string
	Weight float64
}

// Hit is one search result: the position of the document in the slice the
// index was built from, its ID and its score.
type Hit struct {
	Doc   int
	ID    string
	Score float64
	// Coverage is the share of the query's weight that the document
	// matches, in [0, 1]: the idf of the distinct query terms it contains
	// over the idf of all of them, a term no document has counting with the
	// highest idf. Unlike Score it is comparable across queries, so a
	// dispatcher can threshold it to tell "a tool fits" from "unknown".
	Coverage float64
}

// Index is an immutable BM25 index over documents, built by NewIndex. It is
// safe for concurrent searches.
type Index struct {
	ids      []string
	lens     []float64
	avgLen   float64
	postings map[string][]posting
}

// posting holds a document and its BM25 term weight without the idf:
// tf*(k1+1) / (tf + k1*(1-b+b*len/avglen)), computed once at build time.
type posting struct {
	doc int32
	w   float32
}

// BM25 parameters (the usual defaults).
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// NewIndex indexes docs.
func NewIndex(docs []Document) *Index {
	ix := &Index{ids: make([]string, len(docs)), lens: make([]float64, len(docs)), postings: map[string][]posting{}}
	total := 0.0
	tf := map[string]float64{}
	for i, d := range docs {
		ix.ids[i] = d.ID
		clear(tf)
		length := 0.0
		for _, f := range d.Fields {
			w := f.Weight
			if w <= 0 {
				w = 1
			}
			tokenise(f.Text, func(term string) {
				tf[term] += w
				length += w
			})
		}
		ix.lens[i] = length
		total += length
		for term, n := range tf {
			ix.postings[term] = append(ix.postings[term], posting{doc: int32(i), w: float32(n)})
		}
	}
	if len(docs) > 0 {
		ix.avgLen = total / float64(len(docs))
	}
	for _, ps := range ix.postings {
		for j := range ps {
			tf := float64(ps[j].w)
			norm := bm25K1 * (1 - bm25B + bm25B*ix.lens[ps[j].doc]/ix.avgLen)
			ps[j].w = float32(tf * (bm25K1 + 1) / (tf + norm))
		}
	}
	return ix
}

// Len returns the number of indexed documents.
func (ix *Index) Len() int { return len(ix.ids) }

// Search returns up to limit documents (all when limit <= 0) matching the
// query, best first; keep, when not nil, filters documents by position.
func (ix *Index) Search(query string, limit int, keep func(doc int) bool) []Hit {
	scores, coverage := ix.score(query)
	hits := ix.top(scores, limit, keep)
	for i := range hits {
		hits[i].Coverage = coverage[hits[i].Doc]
	}
	return hits
}

// top selects the best limit documents by score (all when limit <= 0).
func (ix *Index) top(scores []float64, limit int, keep func(doc int) bool) []Hit {
	var hits []Hit
	for doc, sc := range scores {
		if sc <= 0 || (keep != nil && !keep(doc)) {
			continue
		}
		h := Hit{Doc: doc, ID: ix.ids[doc], Score: sc}
		if limit <= 0 || len(hits) < limit {
			hits = append(hits, h)
			if limit > 0 && len(hits) == limit {
				sortHits(hits)
			}
			continue
		}
		// hits is full and sorted: insert h when it beats the last.
		if !better(h, hits[limit-1]) {
			continue
		}
		i := sort.Search(limit, func(i int) bool { return better(h, hits[i]) })
		copy(hits[i+1:], hits[i:limit-1])
		hits[i] = h
	}
	if limit <= 0 || len(hits) < limit {
		sortHits(hits)
	}
	return hits
}

// better orders hits by score, then ID.
func better(a, b Hit) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	return a.ID < b.ID
}

// Scores returns the BM25 score of every document for query (0 where no
// query term occurs).
func (ix *Index) Scores(query string) []float64 {
	scores, _ := ix.score(query)
	return scores
}

// score returns the BM25 score and the coverage of every document.
func (ix *Index) score(query string) (scores, coverage []float64) {
	scores = make([]float64, len(ix.ids))
	coverage = make([]float64, len(ix.ids))
	n := float64(len(ix.ids))
	seen := map[string]bool{}
	total := 0.0
	for _, term := range Tokenise(query) {
		if seen[term] {
			continue
		}
		seen[term] = true
		ps := ix.postings[term]
		df := float64(len(ps))
		idf := math.Log(1 + (n-df+0.5)/(df+0.5))
		total += idf
		if len(ps) == 0 {
			continue
		}
		for _, p := range ps {
			scores[p.doc] += idf * float64(p.w)
			coverage[p.doc] += idf
		}
	}
	if total > 0 {
		for i := range coverage {
			coverage[i] /= total
		}
	}
	return scores, coverage
}

// sortHits orders hits by score, then ID, so results are deterministic.
func sortHits(hits []Hit) {
	sort.Slice(hits, func(i, j int) bool { return better(hits[i], hits[j]) })
}

// stopwords are dropped from queries and documents.
var stopwords = map[string]bool{
	"a": true, "an": true, "and": true, "are": true, "as": true, "at": true, "be": true, "by": true,
	"for": true, "from": true, "given": true, "i": true, "in": true, "is": true, "it": true, "me": true,
	"my": true, "of": true, "on": true, "or": true, "please": true, "that": true, "the": true,
	"this": true, "to": true, "with": true, "what": true, "which": true, "you": true,
}

// Tokenise splits text into lower-case terms: runs of letters and digits,
// further split at camelCase and letter/digit boundaries, stop words
// dropped, plural "s" removed (not from -ss, -us, -is) ("SkyScrapperFlights" -> sky, scrapper,
// flight).
func Tokenise(text string) []string {
	var out []string
	tokenise(text, func(term string) { out = append(out, term) })
	return out
}

// tokenise calls fn for each term of text (see Tokenise).
func tokenise(text string, fn func(term string)) {
	emit := func(w string) {
		w = strings.ToLower(w)
		if stopwords[w] {
			return
		}
		if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") &&
			!strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is") {
			if strings.HasSuffix(w, "ies") {
				w = w[:len(w)-3] + "y"
			} else {
				w = w[:len(w)-1]
			}
		}
		fn(w)
	}
	start := -1
	var prev rune
	for i, r := range text {
		word := unicode.IsLetter(r) || unicode.IsDigit(r)
		if !word {
			if start >= 0 {
				emit(text[start:i])
				start = -1
			}
			prev = r
			continue
		}
		if start < 0 {
			start = i
		} else if boundary(prev, r, text[i+utf8.RuneLen(r):]) {
			emit(text[start:i])
			start = i
		}
		prev = r
	}
	if start >= 0 {
		emit(text[start:])
	}
}

// boundary reports a word boundary between prev and r inside a run:
// lower→Upper, letter↔digit, and the last capital of an acronym followed by
// a lower-case letter ("HTTPServer" → HTTP, Server).
func boundary(prev, r rune, rest string) bool {
	switch {
	case unicode.IsLower(prev) && unicode.IsUpper(r):
		return true
	case unicode.IsLetter(prev) != unicode.IsLetter(r):
		return true
	case unicode.IsUpper(prev) && unicode.IsUpper(r):
		next, _ := utf8.DecodeRuneInString(rest)
		return unicode.IsLower(next)
	}
	return false
}
