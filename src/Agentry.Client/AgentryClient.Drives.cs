using System.Net.Http.Headers;

namespace Agentry.Client;

public sealed partial class AgentryClient
{
    /// <summary>How often <see cref="WaitForDriveItemAsync"/> asks for an item's status.</summary>
    private static readonly TimeSpan DriveItemPollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Creates a drive (<c>POST /v1/drives</c>; needs <c>agents:write</c>).</summary>
    /// <param name="name">The drive's name, at most 200 characters.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The drive.</returns>
    /// <exception cref="AgentryApiException"><c>invalid_input</c> (422) when the name is missing or too long.</exception>
    public Task<Drive> CreateDriveAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<Drive>(HttpMethod.Post, "v1/drives", () => JsonContent(new { name }), cancellationToken);

    /// <summary>Lists the organization's drives, newest first (<c>GET /v1/drives</c>).</summary>
    /// <param name="limit">The page size, 1–100; the server's default (20) when null.</param>
    /// <param name="offset">How many to skip; 0 when null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>One page.</returns>
    public Task<AgentryPage<Drive>> ListDrivesAsync(int? limit = null, int? offset = null, CancellationToken cancellationToken = default) =>
        SendAsync<AgentryPage<Drive>>(HttpMethod.Get, "v1/drives" + Query(("limit", Text(limit)), ("offset", Text(offset))), null, cancellationToken);

    /// <summary>Gets a drive (<c>GET /v1/drives/{driveId}</c>).</summary>
    /// <param name="driveId">The drive's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The drive.</returns>
    /// <exception cref="AgentryApiException"><c>not_found</c> (404) for an unknown drive.</exception>
    public Task<Drive> GetDriveAsync(string driveId, CancellationToken cancellationToken = default) =>
        SendAsync<Drive>(HttpMethod.Get, $"v1/drives/{Escape(driveId)}", null, cancellationToken);

    /// <summary>Deletes a drive with its files (<c>DELETE /v1/drives/{driveId}</c>; needs <c>agents:write</c>).</summary>
    /// <param name="driveId">The drive's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the drive is deleted.</returns>
    public Task DeleteDriveAsync(string driveId, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Delete, $"v1/drives/{Escape(driveId)}", cancellationToken);

    /// <summary>
    /// Uploads a file to a drive, streaming <paramref name="content"/> as <c>multipart/form-data</c>
    /// (<c>POST /v1/drives/{driveId}/items</c>; needs <c>agents:write</c>). The same path again replaces the file; it is
    /// indexed in the background (see <see cref="WaitForDriveItemAsync"/>). The stream is read, not disposed; a retried
    /// request (after 429 or 503) reads it again from its start position, which needs a seekable stream.
    /// </summary>
    /// <param name="driveId">The drive's id.</param>
    /// <param name="content">The file's bytes.</param>
    /// <param name="fileName">The file's name; its extension tells the server the content type when none is given.</param>
    /// <param name="options">Path, description, metadata, content type and progress; the defaults when null.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>The item, usually <see cref="DriveItemStatus.Processing"/>.</returns>
    /// <exception cref="AgentryApiException"><c>not_found</c> (404) for an unknown drive; 422 for a bad path, description or metadata; 413 for a file over the server's limit.</exception>
    public Task<DriveItem> UploadDriveItemAsync(string driveId, Stream content, string fileName, DriveUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        var start = content.CanSeek ? content.Position : -1;
        var sent = false;
        return SendAsync<DriveItem>(HttpMethod.Post, $"v1/drives/{Escape(driveId)}/items", () =>
        {
            if (sent)
            {
                if (start < 0)
                {
                    throw new InvalidOperationException("The server asked to retry the upload, but the stream cannot be read again; pass a seekable stream.");
                }

                content.Position = start;
            }

            sent = true;
            return UploadForm(content, fileName, options);
        }, cancellationToken);
    }

    /// <summary>Uploads a file from disk to a drive (see <see cref="UploadDriveItemAsync"/>); its name is the file's name.</summary>
    /// <param name="driveId">The drive's id.</param>
    /// <param name="filePath">The file on disk.</param>
    /// <param name="options">Path, description, metadata, content type and progress; the defaults when null.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>The item, usually <see cref="DriveItemStatus.Processing"/>.</returns>
    /// <exception cref="AgentryApiException">As <see cref="UploadDriveItemAsync"/>.</exception>
    public async Task<DriveItem> UploadDriveFileAsync(string driveId, string filePath, DriveUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        var file = File.OpenRead(filePath);
        await using (file.ConfigureAwait(false))
        {
            return await UploadDriveItemAsync(driveId, file, Path.GetFileName(filePath), options, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Lists a drive's files by path (<c>GET /v1/drives/{driveId}/items</c>).</summary>
    /// <param name="driveId">The drive's id.</param>
    /// <param name="limit">The page size, 1–100; the server's default (20) when null.</param>
    /// <param name="offset">How many to skip; 0 when null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>One page.</returns>
    public Task<AgentryPage<DriveItem>> ListDriveItemsAsync(string driveId, int? limit = null, int? offset = null, CancellationToken cancellationToken = default) =>
        SendAsync<AgentryPage<DriveItem>>(HttpMethod.Get, $"v1/drives/{Escape(driveId)}/items" + Query(("limit", Text(limit)), ("offset", Text(offset))), null, cancellationToken);

    /// <summary>Gets a file of a drive with its indexing status (<c>GET /v1/drives/{driveId}/items/{itemId}</c>).</summary>
    /// <param name="driveId">The drive's id.</param>
    /// <param name="itemId">The item's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The item.</returns>
    public Task<DriveItem> GetDriveItemAsync(string driveId, string itemId, CancellationToken cancellationToken = default) =>
        SendAsync<DriveItem>(HttpMethod.Get, $"v1/drives/{Escape(driveId)}/items/{Escape(itemId)}", null, cancellationToken);

    /// <summary>Deletes a file; it leaves search at once (<c>DELETE /v1/drives/{driveId}/items/{itemId}</c>; needs <c>agents:write</c>).</summary>
    /// <param name="driveId">The drive's id.</param>
    /// <param name="itemId">The item's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the file is deleted.</returns>
    public Task DeleteDriveItemAsync(string driveId, string itemId, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Delete, $"v1/drives/{Escape(driveId)}/items/{Escape(itemId)}", cancellationToken);

    /// <summary>
    /// Waits until a file is indexed, that is <see cref="DriveItemStatus.Ready"/> or <see cref="DriveItemStatus.Error"/>,
    /// asking for its status a few times a second.
    /// </summary>
    /// <param name="driveId">The drive's id.</param>
    /// <param name="itemId">The item's id.</param>
    /// <param name="timeout">How long to wait at most; without end when null.</param>
    /// <param name="cancellationToken">Stops waiting (indexing goes on).</param>
    /// <returns>The item: indexed, or as it is when <paramref name="timeout"/> ran out.</returns>
    public async Task<DriveItem> WaitForDriveItemAsync(string driveId, string itemId, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var deadline = timeout is { } t ? DateTimeOffset.UtcNow + t : (DateTimeOffset?)null;
        while (true)
        {
            var item = await GetDriveItemAsync(driveId, itemId, cancellationToken).ConfigureAwait(false);
            if (item.IsIndexed || (deadline is { } end && DateTimeOffset.UtcNow >= end))
            {
                return item;
            }

            await Task.Delay(DriveItemPollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Full-text search of a drive's ready files, one hit per file, best first (<c>GET /v1/drives/{driveId}/search</c>).</summary>
    /// <param name="driveId">The drive's id.</param>
    /// <param name="query">The words to look for.</param>
    /// <param name="limit">The most hits, 1–100; the server's default when null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The hits.</returns>
    public Task<DriveSearchResult> SearchDriveAsync(string driveId, string query, int? limit = null, CancellationToken cancellationToken = default) =>
        SendAsync<DriveSearchResult>(HttpMethod.Get, $"v1/drives/{Escape(driveId)}/search" + Query(("q", query), ("limit", Text(limit))), null, cancellationToken);

    /// <summary>An agent's run figures in total and per bucket (<c>GET /v1/analytics/agents/{agentId}</c>).</summary>
    /// <param name="agentId">The agent's id.</param>
    /// <param name="query">Range, bucket, time zone, revision and model; the server's defaults when null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The report.</returns>
    /// <exception cref="AgentryApiException"><c>bad_request</c> (400) naming each wrong parameter; <c>not_found</c> (404) for an unknown agent.</exception>
    public Task<AnalyticsReport> GetAgentAnalyticsAsync(string agentId, AnalyticsQuery? query = null, CancellationToken cancellationToken = default) =>
        SendAsync<AnalyticsReport>(
            HttpMethod.Get,
            $"v1/analytics/agents/{Escape(agentId)}" + AnalyticsParameters(query, ("revisionId", query?.RevisionId), ("model", query?.Model)),
            null,
            cancellationToken);

    /// <summary>The run figures of every agent of the organization in total and per bucket (<c>GET /v1/analytics/overview</c>).</summary>
    /// <param name="query">Range, bucket and time zone (its revision and model are not used); the server's defaults when null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The report.</returns>
    public Task<AnalyticsReport> GetAnalyticsOverviewAsync(AnalyticsQuery? query = null, CancellationToken cancellationToken = default) =>
        SendAsync<AnalyticsReport>(HttpMethod.Get, "v1/analytics/overview" + AnalyticsParameters(query), null, cancellationToken);

    /// <summary>Each revision of an agent with its run figures, newest first (<c>GET /v1/analytics/agents/{agentId}/revisions</c>).</summary>
    /// <param name="agentId">The agent's id.</param>
    /// <param name="query">Range and time zone (its bucket, revision and model are not used); the server's defaults when null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The revisions side by side.</returns>
    public Task<RevisionComparison> CompareRevisionsAsync(string agentId, AnalyticsQuery? query = null, CancellationToken cancellationToken = default) =>
        SendAsync<RevisionComparison>(
            HttpMethod.Get,
            $"v1/analytics/agents/{Escape(agentId)}/revisions" + Query(("from", Time(query?.From)), ("to", Time(query?.To)), ("tz", query?.TimeZone)),
            null,
            cancellationToken);

    /// <summary>
    /// Scores a finished run under a key (<c>POST /v1/runs/{runId}/feedback</c>; needs <c>runs:write</c>); a second score
    /// for the same key replaces the first.
    /// </summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="key">What is scored: letters, digits, <c>_ - . :</c>, at most 64 characters.</param>
    /// <param name="score">The score, 0–1.</param>
    /// <param name="comment">A comment, at most 4,000 characters; none when null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The stored feedback.</returns>
    /// <exception cref="AgentryApiException"><c>invalid_input</c> (422) naming each bad field; <c>conflict</c> (409) while the run has not ended; <c>not_found</c> (404) for an unknown run.</exception>
    public Task<RunFeedback> SetRunFeedbackAsync(string runId, string key, double score, string? comment = null, CancellationToken cancellationToken = default) =>
        SendAsync<RunFeedback>(HttpMethod.Post, $"v1/runs/{Escape(runId)}/feedback", () => JsonContent(new { key, score, comment }), cancellationToken);

    /// <summary>Lists a run's feedback, one item per key in key order (<c>GET /v1/runs/{runId}/feedback</c>).</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The feedback.</returns>
    public async Task<IReadOnlyList<RunFeedback>> ListRunFeedbackAsync(string runId, CancellationToken cancellationToken = default) =>
        (await SendAsync<FeedbackList>(HttpMethod.Get, $"v1/runs/{Escape(runId)}/feedback", null, cancellationToken).ConfigureAwait(false)).Items;

    private static string AnalyticsParameters(AnalyticsQuery? query, params (string Name, string? Value)[] more) =>
        Query([("from", Time(query?.From)), ("to", Time(query?.To)), ("bucket", query?.Bucket), ("tz", query?.TimeZone), .. more]);

    private static MultipartFormDataContent UploadForm(Stream content, string fileName, DriveUploadOptions? options)
    {
        var form = new MultipartFormDataContent();
        if (options?.Path is { } path)
        {
            form.Add(new StringContent(path), "path");
        }

        if (options?.Description is { } description)
        {
            form.Add(new StringContent(description), "description");
        }

        if (options?.Metadata is { } metadata)
        {
            form.Add(new StringContent(metadata.GetRawText()), "metadata");
        }

        var file = new StreamContent(new UploadStream(content, options?.Progress));
        file.Headers.ContentType = new MediaTypeHeaderValue(options?.ContentType ?? "application/octet-stream");
        form.Add(file, "file", fileName);
        return form;
    }

    private sealed record FeedbackList(IReadOnlyList<RunFeedback> Items);

    /// <summary>Reads the caller's stream without disposing it (the request's content is disposed with the request), counting the bytes sent.</summary>
    private sealed class UploadStream(Stream inner, IProgress<long>? progress) : Stream
    {
        private long _sent;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            if (read > 0)
            {
                _sent += read;
                progress?.Report(_sent);
            }

            return read;
        }
    }
}
