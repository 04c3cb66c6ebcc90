package slack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/slack-go/slack"
	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
)

// postChart posts m with the weekly chart to channel m.To through Slack's
// files.uploadV2 flow: files.getUploadURLExternal, the upload of the PNG to
// the URL it returns, and files.completeUploadExternal, which shares the
// file with m's text as its comment. It returns the channel and the file's
// id: a shared file has no ts.
//
// Errors are classified as any other call's (a 429 pauses, a 5xx or a
// network error is retried, not_in_channel fails the message). A failed
// attempt is retried from the first step with a new file: a file uploaded
// but never completed is never shared (Slack discards it), so a retry does
// not post the chart twice. As with chat.postMessage, only a
// files.completeUploadExternal that Slack carried out but whose answer was
// lost can.
func (d *Deliverer) postChart(ctx context.Context, m *upgradebot.Message) (string, string, error) {
	f, err := bot.WeeklyChart(ctx, d.Desk, m)
	if err != nil {
		return "", "", err
	}
	if err := d.pace(ctx); err != nil {
		return "", "", err
	}
	u, err := d.API.GetUploadURLExternalContext(ctx, slack.GetUploadURLExternalParameters{
		FileName: f.Name, FileSize: len(f.PNG), AltTxt: f.Alt})
	if err != nil {
		return "", "", fmt.Errorf("files.getUploadURLExternal: %w", err)
	}
	if u.UploadURL == "" || u.FileID == "" {
		return "", "", errors.New("files.getUploadURLExternal: Slack returned no upload URL or file id")
	}
	if err := d.API.UploadToURL(ctx, slack.UploadToURLParameters{
		UploadURL: u.UploadURL, Reader: bytes.NewReader(f.PNG), Filename: f.Name}); err != nil {
		return "", "", fmt.Errorf("upload the chart: %w", redactUploadURL(err, u.UploadURL))
	}
	if err := d.pace(ctx); err != nil {
		return "", "", err
	}
	if _, err := d.API.CompleteUploadExternalContext(ctx, slack.CompleteUploadExternalParameters{
		Files:          []slack.FileSummary{{ID: u.FileID, Title: f.Title}},
		Channel:        m.To,
		InitialComment: FallbackText(m.FullText()),
	}); err != nil {
		return "", "", fmt.Errorf("files.completeUploadExternal: %w", err)
	}
	return m.To, u.FileID, nil
}

// redactUploadURL keeps the upload URL, which lets anyone holding it put a
// file in the workspace, out of an error that reaches logs and the outbox.
// slack-go refuses to send the token to a URL that is neither Slack's nor
// the API URL's host, naming the URL: that cannot get better by retrying.
func redactUploadURL(err error, uploadURL string) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return redactURL(err)
	}
	if msg := err.Error(); strings.Contains(msg, uploadURL) {
		return permanent(strings.ReplaceAll(msg, uploadURL, "the upload URL"))
	}
	return err
}
