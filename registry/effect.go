package registry

import (
	"strings"
	"unicode"
)

// EffectOf returns the effect of calling a: its Effect when set; else the
// default of its HTTP method when its binding is an HTTP operation
// (MethodEffect); else the default of its name's verb (NameEffect), as for
// NESTFUL-style specifications, which have no methods. Importers set
// Effect where the source says (an OpenAPI method, x-toolsmith-effect); a
// registry entry overrides any default by setting it.
func EffectOf(a *API) Effect {
	if a.Effect != "" {
		return a.Effect
	}
	if b := a.Binding; b != nil && b.Kind == BindHTTP && b.Method != "" {
		return MethodEffect(b.Method)
	}
	return NameEffect(a.Name)
}

// MethodEffect is the default effect of an HTTP method: GET, HEAD,
// OPTIONS and TRACE read, DELETE is destructive, every other method
// (POST, PUT, PATCH) writes.
func MethodEffect(method string) Effect {
	switch strings.ToUpper(method) {
	case "GET", "HEAD", "OPTIONS", "TRACE":
		return EffectRead
	case "DELETE":
		return EffectDestructive
	}
	return EffectWrite
}

// MethodIdempotent reports whether HTTP defines method as idempotent (GET,
// HEAD, OPTIONS, TRACE, PUT, DELETE).
func MethodIdempotent(method string) bool {
	switch strings.ToUpper(method) {
	case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE":
		return true
	}
	return false
}

// Verbs that decide NameEffect, by the effect they name. Words that are
// as often nouns ("book", "order", "message") are listed apart: they decide
// only when no other verb of the name does.
var (
	destructiveVerbs = wordSet("delete", "remove", "cancel", "destroy", "revoke", "void", "purge", "erase",
		"terminate", "deactivate", "unsubscribe", "unfollow", "detach", "unlink", "wipe", "close", "drop", "clear")
	writeVerbs = wordSet("buy", "reserve", "pay", "send", "create", "update", "add", "put", "patch", "submit",
		"purchase", "register", "upload", "publish", "write", "edit", "modify", "insert", "save", "capture",
		"approve", "confirm", "invite", "subscribe", "enable", "disable", "assign", "move", "rename", "follow",
		"start", "stop", "pause", "resume", "execute", "run", "launch", "deploy", "install", "attach", "apply",
		"enroll", "join", "invoke", "trigger", "notify", "finalize", "activate", "accept", "reject", "refund",
		"archive", "restore", "reset", "increment", "decrement", "transfer", "withdraw", "deposit", "upsert",
		"rent", "hire", "lease", "sell", "bid", "vote", "donate", "ship", "deliver", "dispatch", "redeem", "claim")
	readVerbs = wordSet("get", "list", "search", "find", "fetch", "lookup", "look", "query", "retrieve", "read", "show",
		"view", "check", "calculate", "compute", "convert", "translate", "analyze", "analyse", "estimate", "describe",
		"count", "validate", "verify", "generate", "detect", "recommend", "suggest", "predict", "summarize", "summarise",
		"parse", "extract", "classify", "compare", "explain", "browse", "download", "resolve", "test", "is", "has", "can")
	// ambiguousVerbs write when no verb of the lists above is in the name.
	ambiguousVerbs = wordSet("book", "order", "post", "comment", "record", "call", "email", "message", "sms",
		"rate", "issue", "link", "play", "like", "mark", "sign", "store", "set", "charge", "reply", "share",
		"schedule", "tweet", "upvote", "checkout", "open", "review", "text", "request", "tip")
)

func wordSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// NameEffect is the documented default effect of an API known only by its
// name (NESTFUL-style specifications have no HTTP method): the name is
// split into words (at '.', '_', '-', spaces and lowerUpper case changes),
// and the first word that is a known verb decides — destructive for
// delete, remove, cancel and the like; write for buy, reserve, pay, send,
// create, update and the like; read for get, search, find, list, calculate
// and the like. Words as often nouns as verbs (book, order, message, post,
// play, record, schedule...) write when no other verb is in the name. A
// name with no verb reads. So "Flights.Book", "book_flight" and
// "send_sms" write, "search_book_reviews" and "Book.Get" read (search and
// get decide), "Orders.Cancel" is destructive. The verb lists are in
// registry/effect.go; set an API's effect to override the default.
func NameEffect(name string) Effect {
	ambiguous := false
	for _, w := range NameWords(name) {
		switch {
		case destructiveVerbs[w]:
			return EffectDestructive
		case writeVerbs[w]:
			return EffectWrite
		case readVerbs[w]:
			return EffectRead
		case ambiguousVerbs[w]:
			ambiguous = true
		}
	}
	if ambiguous {
		return EffectWrite
	}
	return EffectRead
}

// NameWords splits a parameter or API name into lower-case words at
// '.', '_', '-', '/', spaces, and case changes ("customerId" -> customer,
// id; "HTTPServer" -> http, server; "3D" stays one word).
func NameWords(name string) []string {
	var words []string
	rs := []rune(name)
	start := -1
	flush := func(end int) {
		if start >= 0 && end > start {
			words = append(words, strings.ToLower(string(rs[start:end])))
		}
		start = -1
	}
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
			continue
		}
		prev := rs[i-1]
		switch {
		case unicode.IsUpper(r) && unicode.IsLower(prev):
			flush(i)
			start = i
		case unicode.IsUpper(prev) && unicode.IsUpper(r) && i+1 < len(rs) && unicode.IsLower(rs[i+1]) && i-1 > start:
			// "HTTPServer": the last upper-case letter starts the next word.
			flush(i)
			start = i
		}
	}
	flush(len(rs))
	return words
}
