package classroom

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// The server is meant for a classroom network, where anyone in the room
// can reach it. It answers only to its own host names (a DNS-rebinding page
// cannot drive it), lets only its own page's requests change anything (a
// page on another site cannot either), and asks for a token for every act:
// the teacher's for the teacher's controls, a student's for that student's
// state.

// hostPolicy is the set of host names the server answers to.
type hostPolicy struct {
	mu    sync.RWMutex
	names map[string]bool
	extra []string // from Options.Hosts, kept across refreshes
}

func newHostPolicy(extra []string) *hostPolicy {
	p := &hostPolicy{extra: extra}
	p.refresh()
	return p
}

// refresh re-reads the machine's addresses (a laptop may change networks
// during a lesson).
func (p *hostPolicy) refresh() {
	names := map[string]bool{"localhost": true, "127.0.0.1": true, "::1": true}
	for _, ip := range localIPs() {
		names[ip.String()] = true
	}
	for _, h := range p.extra {
		names[normHost(h)] = true
	}
	p.mu.Lock()
	p.names = names
	p.mu.Unlock()
}

func (p *hostPolicy) allowed(host string) bool {
	h := normHost(host)
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.names[h] {
		return true
	}
	// any loopback address (127.0.0.0/8)
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

func (p *hostPolicy) list() []string {
	p.mu.RLock()
	defer p.mu.RUnlock()
	out := make([]string, 0, len(p.names))
	for n := range p.names {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// normHost lowers a Host header and drops its port and brackets.
func normHost(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	return strings.TrimSuffix(h, ".")
}

// localIPs lists the machine's unicast addresses, loopback included.
func localIPs() []net.IP {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var out []net.IP
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			out = append(out, n.IP)
		}
	}
	return out
}

// LANAddrs returns the addresses other machines on the network can reach
// this one at: up interfaces, not loopback, not link-local; IPv4 first.
func LANAddrs() []net.IP {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil
	}
	var v4, v6 []net.IP
	for _, ifc := range ifs {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, err := ifc.Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			n, ok := a.(*net.IPNet)
			if !ok || n.IP.IsLoopback() || n.IP.IsLinkLocalUnicast() || n.IP.IsMulticast() || n.IP.IsUnspecified() {
				continue
			}
			if ip4 := n.IP.To4(); ip4 != nil {
				v4 = append(v4, ip4)
			} else {
				v6 = append(v6, n.IP)
			}
		}
	}
	less := func(a, b net.IP) int { return strings.Compare(string(a), string(b)) }
	slices.SortFunc(v4, less)
	slices.SortFunc(v6, less)
	return append(v4, v6...)
}

// safeMethod reports whether a request cannot change anything.
func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// guard refuses requests for a foreign host (421) and requests that change
// something unless the page itself sent them (403): a browser marks a
// cross-site request with Sec-Fetch-Site and Origin. Bodies must be JSON
// (415 otherwise), which a cross-site form cannot send without a preflight
// the server never grants.
func (s *Server) guard(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hosts.allowed(r.Host) {
			writeError(w, http.StatusMisdirectedRequest, fmt.Sprintf("classroom: this server does not answer to the host name %q; open it by its address (%s) or start it with --host %s",
				normHost(r.Host), strings.Join(s.hosts.list(), ", "), normHost(r.Host)))
			return
		}
		if r.Method == http.MethodOptions {
			writeError(w, http.StatusForbidden, "classroom: cross-origin requests are not served")
			return
		}
		if !safeMethod(r.Method) {
			if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
				writeError(w, http.StatusForbidden, "classroom: refused a request from another site ("+site+"); use the classroom page itself")
				return
			}
			if o := r.Header.Get("Origin"); o != "" {
				u, err := url.Parse(o)
				if err != nil || o == "null" || !strings.EqualFold(u.Host, r.Host) || (u.Scheme != "http" && u.Scheme != "https") {
					writeError(w, http.StatusForbidden, fmt.Sprintf("classroom: refused a request from origin %q; use the classroom page itself", o))
					return
				}
			}
			if r.ContentLength != 0 {
				ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
				if ct != "application/json" {
					writeError(w, http.StatusUnsupportedMediaType, fmt.Sprintf("classroom: a request body must be application/json, not %q", r.Header.Get("Content-Type")))
					return
				}
			}
		}
		h.ServeHTTP(w, r)
	})
}

// newToken returns 128 random bits in hex.
func newToken() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return hex.EncodeToString(b[:])
}

// sameToken compares tokens in constant time.
func sameToken(a, b string) bool {
	return len(a) == len(b) && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// tokenOf reads a request's token: the X-Entente-Token header, or (for an
// event stream, which cannot set headers) the token query parameter.
func tokenOf(r *http.Request) string {
	if t := r.Header.Get("X-Entente-Token"); t != "" {
		return t
	}
	if r.Method == http.MethodGet {
		return r.URL.Query().Get("token")
	}
	return ""
}

// codeAlphabet leaves out 0, O, 1, I and L: a join code is read off a
// projector.
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// newCode returns a six-character join code.
func newCode() string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b[:])
}

// normCode reads a code as a student types it: any case, spaces and dashes
// ignored.
func normCode(s string) string {
	var b strings.Builder
	for _, c := range strings.ToUpper(s) {
		if c != ' ' && c != '-' && c != '\t' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// limiter bounds failed attempts per client address (guessing join codes).
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	hits   map[string][]time.Time
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, hits: map[string][]time.Time{}}
}

// fail records a failure for key.
func (l *limiter) fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.hits[key] = append(l.prune(key, now), now)
}

// blocked reports whether key has failed max times within the window.
func (l *limiter) blocked(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.prune(key, now)) >= l.max
}

func (l *limiter) prune(key string, now time.Time) []time.Time {
	h := l.hits[key]
	i := 0
	for i < len(h) && now.Sub(h[i]) > l.window {
		i++
	}
	h = h[i:]
	if len(h) == 0 {
		delete(l.hits, key)
		return nil
	}
	l.hits[key] = h
	return h
}

// sweep forgets old failures.
func (l *limiter) sweep(now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for k := range l.hits {
		l.prune(k, now)
	}
}

// clientKey is the address a request came from, without its port.
func clientKey(r *http.Request) string {
	h, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return h
}

// fromLoopback reports whether the request came from this machine.
func fromLoopback(r *http.Request) bool {
	ip := net.ParseIP(clientKey(r))
	return ip != nil && ip.IsLoopback()
}
