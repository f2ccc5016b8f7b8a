package llm

import "fmt"

// Role is the part a model plays in toolsmith.
type Role string

// The four model roles.
const (
	// Maker is the strong model that writes tools.
	Maker Role = "maker"
	// User is the cheap model that solves requests with a cached tool.
	User Role = "user"
	// Dispatcher decides which cached tool, if any, fits a request.
	Dispatcher Role = "dispatcher"
	// Translator turns a request into facts for the planner.
	Translator Role = "translator"
)

// Roles lists every role in a fixed order.
func Roles() []Role { return []Role{Maker, User, Dispatcher, Translator} }

// ParseRole returns the role named s.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles() {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("unknown role %q (want maker, user, dispatcher or translator)", s)
}

// envName returns the environment variable that configures the role's model.
func (r Role) envName() string {
	switch r {
	case Maker:
		return EnvMakerModel
	case User:
		return EnvUserModel
	case Dispatcher:
		return EnvDispatcherModel
	case Translator:
		return EnvTranslatorModel
	}
	return ""
}
