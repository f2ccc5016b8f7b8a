package server

import (
	"crypto/rand"
	"encoding/hex"
)

// newID returns a random session id.
func newID() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
