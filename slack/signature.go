package slack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Slack signs every request it sends with the app's signing secret (version
// v0 of its scheme): X-Slack-Signature is "v0=" and the hex HMAC-SHA256 of
// "v0:" + X-Slack-Request-Timestamp + ":" + the raw body.
const (
	HeaderSignature = "X-Slack-Signature"
	HeaderTimestamp = "X-Slack-Request-Timestamp"
	// MaxRequestAge is how far a request's timestamp may be from now, either
	// way, before it is refused as a possible replay.
	MaxRequestAge = 5 * time.Minute
)

// errSignature is wrapped by every refusal of VerifyRequest.
var errSignature = errors.New("slack request not verified")

// SignatureFor returns the v0 signature Slack would send for body at
// timestamp (decimal Unix seconds, as in X-Slack-Request-Timestamp).
func SignatureFor(secret, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + timestamp + ":"))
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// VerifyRequest checks that body with header was signed by Slack with secret
// and is fresh: its timestamp is within MaxRequestAge of now either way. It
// refuses an empty secret, missing or malformed headers, and any signature
// that does not match, comparing in constant time.
func VerifyRequest(secret string, header http.Header, body []byte, now time.Time) error {
	if secret == "" {
		return fmt.Errorf("bot: verify request: no signing secret configured: %w", errSignature)
	}
	ts := header.Get(HeaderTimestamp)
	sig := header.Get(HeaderSignature)
	if ts == "" || sig == "" {
		return fmt.Errorf("bot: verify request: missing %s or %s: %w", HeaderTimestamp, HeaderSignature, errSignature)
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || sec <= 0 || len(ts) > 12 {
		return fmt.Errorf("bot: verify request: malformed timestamp: %w", errSignature)
	}
	if age := now.Sub(time.Unix(sec, 0)); age > MaxRequestAge || age < -MaxRequestAge {
		return fmt.Errorf("bot: verify request: timestamp %s is %s from now: %w", ts, age.Round(time.Second), errSignature)
	}
	hexSig, ok := strings.CutPrefix(sig, "v0=")
	if !ok || len(hexSig) != 2*sha256.Size {
		return fmt.Errorf("bot: verify request: malformed signature: %w", errSignature)
	}
	if !hmac.Equal([]byte(sig), []byte(SignatureFor(secret, ts, body))) {
		return fmt.Errorf("bot: verify request: signature does not match: %w", errSignature)
	}
	return nil
}
