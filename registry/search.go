package registry

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"
)

// Embedder turns texts into vectors. It is the method set of langchaingo's
// embeddings.Embedder, so any langchaingo embedder can be passed as is.
type Embedder interface {
	EmbedDocuments(ctx context.Context, texts []string) ([][]float32, error)
	EmbedQuery(ctx context.Context, text string) ([]float32, error)
}

// SearchSource is what a Searcher reads: the records it ranks and the
// collection versions that say when to read them again. Every Store is one.
type SearchSource interface {
	Version(ctx context.Context, ns string, c Collection) (uint64, error)
	ListTools(ctx context.Context, ns string, f ToolFilter) ([]*Tool, error)
	ListAPIs(ctx context.Context, ns string) ([]API, error)
}

// SearchOptions configure a Searcher. The zero value searches with BM25 only.
type SearchOptions struct {
	// Embedder, when set, adds cosine similarity of embeddings to the score.
	Embedder Embedder
	// EmbedWeight is the embedding similarity's share of the score, in
	// [0, 1]; default 0.5 when an Embedder is set.
	EmbedWeight float64
	// MaxStaleness lets a search reuse an index whose version was checked
	// less than this long ago, saving the store round trip at high query
	// rates. Zero (the default) checks the version on every search, so a
	// search always sees every write completed before it began.
	MaxStaleness time.Duration
}

// ToolQuery narrows a tool search.
type ToolQuery struct {
	Family string // only tools of this family
	Limit  int    // at most this many hits; default 10
}

// ToolHit is a tool found by Searcher.Tools. Score ranks hits of one query;
// Coverage (see Hit) is comparable across queries.
type ToolHit struct {
	Tool     *Tool
	Score    float64
	Coverage float64
}

// APIHit is an API found by Searcher.APIs.
type APIHit struct {
	API      API
	Score    float64
	Coverage float64
}

// Searcher ranks a store's tools and APIs by relevance to free text. It keeps
// one in-process index per namespace and collection and rebuilds it when the
// store's collection version has moved, so results follow every write (of
// any replica, for Redis). The dispatcher uses Tools to pick candidate tools;
// the planner uses APIs to prune the API set. Safe for concurrent use.
type Searcher struct {
	store SearchSource
	opts  SearchOptions

	mu    sync.Mutex
	snaps map[snapKey]*snapshot
}

type snapKey struct {
	ns   string
	coll Collection
}

// snapshot is an index of one collection at one version.
type snapshot struct {
	version uint64
	checked time.Time // when version was last confirmed against the store
	index   *Index
	tools   []*Tool
	apis    []API
	vecs    [][]float32 // per document, when embedding
	// byDigest maps text digests to vectors so a rebuild embeds only new
	// or changed documents.
	byDigest map[[32]byte][]float32
}

// NewSearcher returns a Searcher over store.
func NewSearcher(store SearchSource, opts SearchOptions) *Searcher {
	if opts.Embedder != nil && opts.EmbedWeight == 0 {
		opts.EmbedWeight = 0.5
	}
	return &Searcher{store: store, opts: opts, snaps: map[snapKey]*snapshot{}}
}

// Tools returns the current tools of namespace ns most relevant to query.
func (s *Searcher) Tools(ctx context.Context, ns, query string, q ToolQuery) ([]ToolHit, error) {
	snap, err := s.snapshot(ctx, nsOrDefault(ns), CollTools)
	if err != nil {
		return nil, err
	}
	var keep func(int) bool
	if q.Family != "" {
		keep = func(i int) bool { return snap.tools[i].Family == q.Family }
	}
	hits, err := s.rank(ctx, snap, query, q.Limit, keep)
	if err != nil {
		return nil, err
	}
	out := make([]ToolHit, len(hits))
	for i, h := range hits {
		out[i] = ToolHit{Tool: snap.tools[h.Doc], Score: h.Score, Coverage: h.Coverage}
	}
	return out, nil
}

// APIs returns the APIs of namespace ns most relevant to query (at most
// limit; default 10).
func (s *Searcher) APIs(ctx context.Context, ns, query string, limit int) ([]APIHit, error) {
	snap, err := s.snapshot(ctx, nsOrDefault(ns), CollAPIs)
	if err != nil {
		return nil, err
	}
	hits, err := s.rank(ctx, snap, query, limit, nil)
	if err != nil {
		return nil, err
	}
	out := make([]APIHit, len(hits))
	for i, h := range hits {
		out[i] = APIHit{API: snap.apis[h.Doc], Score: h.Score, Coverage: h.Coverage}
	}
	return out, nil
}

// rank scores the snapshot's documents: BM25, blended with cosine
// similarity when embedding.
func (s *Searcher) rank(ctx context.Context, snap *snapshot, query string, limit int, keep func(int) bool) ([]Hit, error) {
	if limit <= 0 {
		limit = 10
	}
	if s.opts.Embedder == nil || snap.vecs == nil {
		return snap.index.Search(query, limit, keep), nil
	}
	qv, err := s.opts.Embedder.EmbedQuery(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("embed query: %w", err)
	}
	scores, coverage := snap.index.score(query)
	best := 0.0
	for _, sc := range scores {
		best = math.Max(best, sc)
	}
	w := s.opts.EmbedWeight
	blended := make([]float64, len(scores))
	for i, sc := range scores {
		lex := 0.0
		if best > 0 {
			lex = sc / best
		}
		blended[i] = (1-w)*lex + w*cosine(qv, snap.vecs[i])
	}
	hits := snap.index.top(blended, limit, keep)
	for i := range hits {
		hits[i].Coverage = coverage[hits[i].Doc]
	}
	return hits, nil
}

// snapshot returns an index of the collection that is at least as new as the
// store's version when the call began.
func (s *Searcher) snapshot(ctx context.Context, ns string, coll Collection) (*snapshot, error) {
	key := snapKey{ns, coll}
	if s.opts.MaxStaleness > 0 {
		s.mu.Lock()
		prev := s.snaps[key]
		fresh := prev != nil && time.Since(prev.checked) < s.opts.MaxStaleness
		s.mu.Unlock()
		if fresh {
			return prev, nil
		}
	}
	checked := time.Now()
	v, err := s.store.Version(ctx, ns, coll)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	prev := s.snaps[key]
	if prev != nil && prev.version == v {
		if checked.After(prev.checked) {
			prev.checked = checked
		}
		return prev, nil
	}
	// The version was read before the records: a write in between makes
	// the next call rebuild again, never serve stale data for long.
	snap := &snapshot{version: v, checked: checked}
	var docs []Document
	switch coll {
	case CollTools:
		if snap.tools, err = s.store.ListTools(ctx, ns, ToolFilter{}); err != nil {
			return nil, err
		}
		docs = make([]Document, len(snap.tools))
		for i, t := range snap.tools {
			docs[i] = toolDocument(t)
		}
	case CollAPIs:
		if snap.apis, err = s.store.ListAPIs(ctx, ns); err != nil {
			return nil, err
		}
		docs = make([]Document, len(snap.apis))
		for i := range snap.apis {
			docs[i] = apiDocument(&snap.apis[i])
		}
	default:
		return nil, fmt.Errorf("search: collection %q is not searchable", coll)
	}
	snap.index = NewIndex(docs)
	if s.opts.Embedder != nil {
		if err = s.embed(ctx, prev, snap, docs); err != nil {
			return nil, err
		}
	}
	s.snaps[key] = snap
	return snap, nil
}

// embed fills snap's vectors, embedding only texts prev did not have.
func (s *Searcher) embed(ctx context.Context, prev, snap *snapshot, docs []Document) error {
	snap.byDigest = make(map[[32]byte][]float32, len(docs))
	digests := make([][32]byte, len(docs))
	var missing []string
	var missingAt []int
	for i, d := range docs {
		text := documentText(d)
		digests[i] = sha256.Sum256([]byte(text))
		if prev != nil && prev.byDigest[digests[i]] != nil {
			snap.byDigest[digests[i]] = prev.byDigest[digests[i]]
		} else if snap.byDigest[digests[i]] == nil {
			snap.byDigest[digests[i]] = []float32{} // placeholder: queued
			missing = append(missing, text)
			missingAt = append(missingAt, i)
		}
	}
	if len(missing) > 0 {
		vs, err := s.opts.Embedder.EmbedDocuments(ctx, missing)
		if err != nil {
			return fmt.Errorf("embed documents: %w", err)
		}
		if len(vs) != len(missing) {
			return fmt.Errorf("embed documents: %d vectors for %d texts", len(vs), len(missing))
		}
		for j, i := range missingAt {
			snap.byDigest[digests[i]] = vs[j]
		}
	}
	snap.vecs = make([][]float32, len(docs))
	for i := range docs {
		snap.vecs[i] = snap.byDigest[digests[i]]
	}
	return nil
}

func documentText(d Document) string {
	var b strings.Builder
	for _, f := range d.Fields {
		if f.Text != "" {
			b.WriteString(f.Text)
			b.WriteString("\n")
		}
	}
	return b.String()
}

// toolDocument is what tool search sees: name, family, description, demos.
func toolDocument(t *Tool) Document {
	d := Document{ID: t.Name, Fields: []Field{
		{Text: t.Name, Weight: 3},
		{Text: t.Family, Weight: 2},
		{Text: t.Description, Weight: 1},
	}}
	for _, demo := range t.Demos {
		d.Fields = append(d.Fields, Field{Text: demo.Input, Weight: 1})
	}
	return d
}

// apiDocument is what API search sees: name, description, tags and the
// names and descriptions of inputs and outputs.
func apiDocument(a *API) Document {
	d := Document{ID: a.Name, Fields: []Field{
		{Text: a.Name, Weight: 3},
		{Text: a.Description, Weight: 1},
		{Text: strings.Join(a.Tags, " "), Weight: 2},
	}}
	for _, in := range a.Inputs {
		d.Fields = append(d.Fields, Field{Text: in.Name, Weight: 1}, Field{Text: in.Description, Weight: 0.5})
	}
	for _, out := range a.Outputs {
		d.Fields = append(d.Fields, Field{Text: out.Name, Weight: 1}, Field{Text: out.Description, Weight: 0.5})
	}
	return d
}

// NewAPIIndex indexes apis for BM25 search as a Searcher sees them (name,
// description, tags, inputs and outputs); a hit's Doc is its position in
// apis. It serves callers that rank a catalogue held in memory.
func NewAPIIndex(apis []API) *Index {
	docs := make([]Document, len(apis))
	for i := range apis {
		docs[i] = apiDocument(&apis[i])
	}
	return NewIndex(docs)
}

func cosine(a, b []float32) float64 {
	if len(a) != len(b) || len(a) == 0 {
		return 0
	}
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

// AllAPIs returns every API of namespace ns, sorted by name, with the API
// collection version they reflect (for PlanKey). It serves the snapshot
// APIs searches use, so a replica reads the whole catalogue from the store
// only after it changed; otherwise the cost is one version check. The
// slice is shared: do not modify it.
func (s *Searcher) AllAPIs(ctx context.Context, ns string) ([]API, uint64, error) {
	snap, err := s.snapshot(ctx, nsOrDefault(ns), CollAPIs)
	if err != nil {
		return nil, 0, err
	}
	return snap.apis, snap.version, nil
}
