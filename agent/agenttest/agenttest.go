// Package agenttest provides what tests of the agent and of programs built
// on it (chat, serve) share: a small pet service described by an OpenAPI
// document with no server, scripted model replies for a conversation over
// it, and an in-memory implementation of the service that records what it
// was asked to delete.
package agenttest

import (
	"bytes"
	_ "embed"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	//go:embed pets.yaml
	petsOpenAPI []byte
	//go:embed pets-scripted.yaml
	petsScript []byte
)

// PetsOpenAPI returns the pet service's OpenAPI document (listPets and
// deletePet; no server).
func PetsOpenAPI() []byte { return bytes.Clone(petsOpenAPI) }

// PetsScript returns scripted-model replies for "Delete one of my pets"
// over the pet service.
func PetsScript() []byte { return bytes.Clone(petsScript) }

// PetsFiles writes both into a temporary directory of t, for programs that
// read files, and returns their paths.
func PetsFiles(t testing.TB) (openAPI, script string) {
	t.Helper()
	dir := t.TempDir()
	openAPI, script = filepath.Join(dir, "pets.yaml"), filepath.Join(dir, "pets-scripted.yaml")
	for name, data := range map[string][]byte{openAPI: petsOpenAPI, script: petsScript} {
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return openAPI, script
}

// PetStore serves pets.yaml: GET /pets lists two pets (1 Rex, a dog; 2
// Tom), DELETE /pets/{id} records the deletion. Safe for concurrent use.
type PetStore struct {
	mu      sync.Mutex
	deleted []string
}

// Deleted returns the ids deleted so far, in order.
func (p *PetStore) Deleted() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.deleted...)
}

// ServeHTTP answers the two operations; anything else is 404.
func (p *PetStore) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/pets":
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `[{"id": 1, "name": "Rex", "tag": "dog"}, {"id": 2, "name": "Tom"}]`)
	case r.Method == http.MethodDelete && strings.HasPrefix(r.URL.Path, "/pets/"):
		p.mu.Lock()
		p.deleted = append(p.deleted, strings.TrimPrefix(r.URL.Path, "/pets/"))
		p.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	default:
		http.NotFound(w, r)
	}
}
