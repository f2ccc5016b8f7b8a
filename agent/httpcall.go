package agent

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// httpCall is one call of an HTTP operation laid out: the URL with its
// path parameters filled, the query, headers, cookies and body, and the
// credentials to mask in errors. Each attempt builds its request from it.
type httpCall struct {
	method      string
	url         string
	query       url.Values
	header      http.Header
	cookies     []*http.Cookie
	body        []byte
	contentType string
	secrets     []string
}

// newHTTPCall places the invocation's arguments as the binding says.
func newHTTPCall(method, target string, inv Invocation) (*httpCall, error) {
	b := inv.API.Binding
	c := &httpCall{method: method, query: url.Values{}, header: http.Header{}}
	body := map[string]any{}
	names := make([]string, 0, len(inv.Args))
	for name := range inv.Args {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		v := inv.Args[name]
		where := b.In[name]
		wire := name
		if w := b.Wire[name]; w != "" {
			wire = w
		}
		if where == "" {
			switch {
			case strings.Contains(target, "{"+name+"}"):
				where = "path"
			case method == http.MethodGet || method == http.MethodDelete || method == http.MethodHead:
				where = "query"
			default:
				where = "body"
			}
		}
		switch where {
		case "path":
			target = strings.ReplaceAll(target, "{"+wire+"}", url.PathEscape(scalarText(v)))
		case "query":
			queryValues(wire, v, c.query)
		case "header":
			c.header.Set(wire, scalarText(v))
		case "cookie":
			c.cookies = append(c.cookies, &http.Cookie{Name: wire, Value: scalarText(v)})
		default:
			body[wire] = v
		}
	}
	if i := strings.Index(target, "{"); i >= 0 && strings.Contains(target[i:], "}") {
		return nil, fmt.Errorf("URL %s has a path parameter no argument fills", target)
	}
	c.url = target
	if len(body) > 0 {
		switch b.Encoding {
		case "", "json":
			raw, err := json.Marshal(body)
			if err != nil {
				return nil, err
			}
			c.body, c.contentType = raw, "application/json"
		case "form":
			form := url.Values{}
			formValues("", body, form)
			c.body, c.contentType = []byte(form.Encode()), "application/x-www-form-urlencoded"
		default:
			return nil, fmt.Errorf("unknown body encoding %q (want json or form)", b.Encoding)
		}
	}
	for k, v := range b.Headers {
		if c.header.Get(k) == "" {
			c.header.Set(k, v)
		}
	}
	if inv.IdempotencyKey != "" {
		c.header.Set("Idempotency-Key", inv.IdempotencyKey)
	}
	return c, nil
}

// authenticate adds the credential as the binding's auth says; it wins
// over an argument of the same name.
func (c *httpCall) authenticate(a *registry.Auth, secret string) error {
	c.secrets = append(c.secrets, secret)
	switch strings.ToLower(a.Scheme) {
	case "apikey":
		if a.Name == "" {
			return errors.New("the binding's apikey auth names no header, query parameter or cookie")
		}
		switch strings.ToLower(a.In) {
		case "", "header":
			c.header.Set(a.Name, secret)
		case "query":
			c.query.Set(a.Name, secret)
		case "cookie":
			c.cookies = append(c.cookies, &http.Cookie{Name: a.Name, Value: secret})
		default:
			return fmt.Errorf("the binding's apikey auth goes in %q (want header, query or cookie)", a.In)
		}
	case "bearer":
		c.header.Set("Authorization", "Bearer "+secret)
	case "basic":
		// "user:password"; a secret without a colon is a user name with an
		// empty password (Stripe's secret key, say).
		user, password, _ := strings.Cut(secret, ":")
		encoded := base64.StdEncoding.EncodeToString([]byte(user + ":" + password))
		c.secrets = append(c.secrets, user, password, encoded)
		c.header.Set("Authorization", "Basic "+encoded)
	default:
		return fmt.Errorf("the binding's auth scheme %q is not apikey, bearer or basic", a.Scheme)
	}
	return nil
}

// request builds one attempt's request.
func (c *httpCall) request(ctx context.Context) (*http.Request, error) {
	target := c.url
	if len(c.query) > 0 {
		sep := "?"
		if strings.Contains(target, "?") {
			sep = "&"
		}
		target += sep + c.query.Encode()
	}
	var body io.Reader
	if c.body != nil {
		body = bytes.NewReader(c.body)
	}
	req, err := http.NewRequestWithContext(ctx, c.method, target, body)
	if err != nil {
		return nil, err
	}
	for k, vs := range c.header {
		req.Header[k] = vs
	}
	for _, ck := range c.cookies {
		req.AddCookie(ck)
	}
	if c.contentType != "" {
		req.Header.Set("Content-Type", c.contentType)
	}
	req.Header.Set("Accept", "application/json")
	return req, nil
}

// minSecret is the shortest credential masked in text: shorter ones (an
// empty password, say) would garble messages and reveal nothing.
const minSecret = 4

// redact masks the call's credentials in err: a transport error quotes
// the URL, whose query may hold an API key, and a server may echo a
// request back.
func (c *httpCall) redact(err error) error {
	mask := func(s string) string {
		for _, sec := range c.secrets {
			if len(sec) >= minSecret {
				s = strings.ReplaceAll(s, sec, "****")
			}
		}
		return s
	}
	var se *StatusError
	if errors.As(err, &se) {
		return &StatusError{Code: se.Code, Body: mask(se.Body)}
	}
	if msg := err.Error(); mask(msg) != msg {
		if errors.Is(err, ErrNotSent) {
			return NotSent(errors.New(mask(msg)))
		}
		return errors.New(mask(msg))
	}
	return err
}

// scalarText writes a value of a path, query, header or form field: numbers
// in plain decimal, never with an exponent.
func scalarText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case json.Number:
		return x.String()
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// queryValues adds a query parameter: an array as the parameter repeated
// (OpenAPI's default, form style exploded), an object as name[key]=value.
func queryValues(name string, v any, q url.Values) {
	if list, ok := v.([]any); ok {
		for _, e := range list {
			q.Add(name, scalarText(e))
		}
		return
	}
	formValues(name, v, q)
}

// formValues flattens a value into form fields the way Stripe and Rails
// read them: an object's fields as name[key], an array's items as
// name[0], name[1], ...; a null is left out.
func formValues(name string, v any, form url.Values) {
	switch x := v.(type) {
	case nil:
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			key := k
			if name != "" {
				key = name + "[" + k + "]"
			}
			formValues(key, x[k], form)
		}
	case []any:
		for i, e := range x {
			formValues(name+"["+strconv.Itoa(i)+"]", e, form)
		}
	default:
		form.Add(name, scalarText(x))
	}
}
