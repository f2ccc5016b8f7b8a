// Package registry keeps toolsmith's records — tools, APIs, task families,
// sessions and plan-cache entries — in a Store, backed by Redis for shared
// deployments or by an embedded bbolt file by default, and searches them by
// name, family, namespace and relevance.
package registry
