package upgradebot

import (
	"errors"
	"fmt"
)

// Error codes. Every error the domain or the store returns on purpose carries
// one of them; anything else is EINTERNAL, is logged, and is shown to users
// only as "something went wrong".
const (
	ECONFLICT  = "conflict"  // the thing exists or was already done
	EFORBIDDEN = "forbidden" // the actor may not do this
	EINTERNAL  = "internal"  // a bug or an outage
	EINVALID   = "invalid"   // the request is malformed
	ENOTFOUND  = "not_found" // no such thing
)

// Error is an error a user can be shown. Message is written for the person
// who typed the command.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("upgradebot error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, EINTERNAL for errors that are not an
// *Error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err. Internal errors get a
// generic message so that no internals leak to chat.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on our side; it has been logged. Please try again."
}
