package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/slack-go/slack"
	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/chart"
)

// chartFile is the weekly chart drawn for a message, ready to upload.
type chartFile struct {
	Name          string // upgradebot-chart-2026-11-30.png
	Title         string // shown above the image in Slack
	Alt           string // what the chart shows, for screen readers
	PNG           []byte
	Width, Height int
}

// weeklyChart draws the chart a message with upgradebot.AttachChart
// carries: open work and releases behind over the upgradebot.TrendWeeks
// weeks ending at the message's CreatedAt, on the team's calendar. Drawn
// from CreatedAt, not the time of delivery, a retry hours later shows the
// same weeks.
func weeklyChart(ctx context.Context, desk upgradebot.Desk, m *upgradebot.Message) (*chartFile, error) {
	s, err := desk.Settings(ctx)
	if err != nil {
		return nil, fmt.Errorf("weekly chart: %w", err)
	}
	today := upgradebot.Today(m.CreatedAt, s.Location())
	points, err := desk.WeeklyTrend(ctx, m.CreatedAt, today, upgradebot.TrendWeeks)
	if err != nil {
		return nil, fmt.Errorf("weekly chart: %w", err)
	}
	png, err := chart.Render(points, chart.Options{})
	if err != nil {
		return nil, fmt.Errorf("weekly chart: %w", err)
	}
	return &chartFile{
		Name:  "upgradebot-chart-" + today.String() + ".png",
		Title: fmt.Sprintf("Open work and releases behind, %d weeks to %s", len(points), today.Human()),
		Alt:   chartAlt(points, today),
		PNG:   png,
		// chart.Options{} draws the default size.
		Width: chart.DefaultWidth, Height: chart.DefaultHeight,
	}, nil
}

// chartAlt describes the chart in words: the weeks, and where both series
// started and ended.
func chartAlt(points []upgradebot.TrendPoint, today upgradebot.Date) string {
	if len(points) == 0 {
		return "An empty weekly chart of open work and releases behind."
	}
	first, last := points[0], points[len(points)-1]
	return fmt.Sprintf("Weekly chart of the %d weeks to %s. Bars: open tasks at the end of each week, %d then, %d now. "+
		"Line: vendor releases out but not live, %d then, %d now.",
		len(points), today.Human(), first.Open, last.Open, first.Behind, last.Behind)
}

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
	f, err := weeklyChart(ctx, d.Desk, m)
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

// attachNote is how the console shows a message's attachment: the chart
// drawn as Slack would get it (not written anywhere), or why it was not.
func attachNote(ctx context.Context, desk upgradebot.Desk, m *upgradebot.Message) string {
	if m.Attach != upgradebot.AttachChart {
		return fmt.Sprintf("attachment %q", m.Attach)
	}
	f, err := weeklyChart(ctx, desk, m)
	if err != nil {
		return "chart not drawn: " + err.Error()
	}
	return fmt.Sprintf("chart: %s, %d×%d PNG", f.Name, f.Width, f.Height)
}
