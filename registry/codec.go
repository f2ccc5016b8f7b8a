package registry

import (
	"encoding/json"
	"fmt"
	"runtime"
	"sync"
)

// encodeRecord encodes a record, rejecting encodings over MaxRecordBytes.
func encodeRecord(kind, name string, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %s %q: %w", kind, name, err)
	}
	if len(b) > MaxRecordBytes {
		return nil, &ValidationError{Kind: kind, Name: name, Fields: []FieldError{{
			Field: "record", Message: fmt.Sprintf("encoded size %d exceeds the limit of %d", len(b), MaxRecordBytes)}}}
	}
	return b, nil
}

// versioned is implemented by records that carry a schema version.
type versioned interface{ schemaVersion() int }

func (t *Tool) schemaVersion() int           { return t.SchemaVersion }
func (f *Family) schemaVersion() int         { return f.SchemaVersion }
func (s *Session) schemaVersion() int        { return s.SchemaVersion }
func (e *PlanCacheEntry) schemaVersion() int { return e.SchemaVersion }

// decodeRecord decodes a stored record and rejects newer schema versions.
func decodeRecord[T any, P interface {
	*T
	versioned
}](kind, name string, b []byte) (P, error) {
	p := P(new(T))
	if err := json.Unmarshal(b, p); err != nil {
		return nil, fmt.Errorf("decode %s %q: %w", kind, name, err)
	}
	if v := p.schemaVersion(); v > SchemaVersion {
		return nil, fmt.Errorf("decode %s %q: schema version %d is newer than this release's %d", kind, name, v, SchemaVersion)
	}
	return p, nil
}

// decodeAPI decodes a stored API.
func decodeAPI(name string, b []byte) (API, error) {
	var a API
	if err := json.Unmarshal(b, &a); err != nil {
		return API{}, fmt.Errorf("decode api %q: %w", name, err)
	}
	return a, nil
}

// decodeAPIs decodes many stored APIs, spreading large batches over the
// processors (JSON decoding dominates loading a big catalogue).
func decodeAPIs(names []string, raws [][]byte) ([]API, error) {
	out := make([]API, len(raws))
	workers := min(runtime.GOMAXPROCS(0), len(raws)/512+1)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	chunk := (len(raws) + workers - 1) / workers
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w * chunk; i < min((w+1)*chunk, len(raws)); i++ {
				if err := json.Unmarshal(raws[i], &out[i]); err != nil {
					errs[w] = fmt.Errorf("decode api %q: %w", names[i], err)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
