//go:build race

package slack_test

// raceDetector is set when the tests run with -race, which makes the pure-Go
// SQLite about fifteen times slower.
const raceDetector = true
