using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Agentry.Client;

public sealed partial class AgentryClient
{
    /// <summary>The longest <c>wait</c> one request may ask the server for.</summary>
    private static readonly TimeSpan MaxServerWait = TimeSpan.FromSeconds(60);

    /// <summary>Starts a run of an agent with <paramref name="input"/> (<c>POST /v1/agents/{agentId}/runs</c>; needs <c>runs:write</c>).</summary>
    /// <typeparam name="TInput">The input's type: a <see cref="JsonElement"/>, a dictionary, or any object that serializes to the agent's <c>inputSchema</c>.</typeparam>
    /// <param name="agentId">The agent's id.</param>
    /// <param name="input">The input object.</param>
    /// <param name="options">Revision, idempotency key and server-side wait; none when null.</param>
    /// <param name="cancellationToken">Cancels the request (not the run: see <see cref="CancelRunAsync"/>).</param>
    /// <returns>The run, usually <see cref="RunStatus.Pending"/>; the existing run when the idempotency key was used before with the same input.</returns>
    /// <exception cref="AgentryApiException"><c>invalid_input</c> (422) naming every violation of the input schema; <c>conflict</c> (409) for a deleted agent or a reused idempotency key.</exception>
    public Task<Run> StartRunAsync<TInput>(string agentId, TInput input, StartRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        var body = ToJson(input);
        var wait = options?.Wait is { } w ? Text((int)Math.Clamp(Math.Ceiling(w.TotalSeconds), 0, MaxServerWait.TotalSeconds)) : null;
        var path = $"v1/agents/{Escape(agentId)}/runs" + Query(("revisionId", options?.RevisionId), ("wait", wait));
        return SendAsync<Run>(HttpMethod.Post, path, () => JsonContent(body), cancellationToken, request =>
        {
            if (options?.IdempotencyKey is { Length: > 0 } key)
            {
                request.Headers.Add("Idempotency-Key", key);
            }
        });
    }

    /// <summary>Starts a run and waits until it ends (<see cref="StartRunAsync"/> then <see cref="WaitForRunAsync"/>).</summary>
    /// <typeparam name="TInput">The input's type.</typeparam>
    /// <param name="agentId">The agent's id.</param>
    /// <param name="input">The input object.</param>
    /// <param name="options">Revision and idempotency key; none when null.</param>
    /// <param name="cancellationToken">Stops waiting (the run goes on; cancel it with <see cref="CancelRunAsync"/>).</param>
    /// <returns>The run, <see cref="RunStatus.Done"/> or <see cref="RunStatus.Error"/>.</returns>
    public async Task<Run> RunAsync<TInput>(string agentId, TInput input, StartRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        var run = await StartRunAsync(agentId, input, options, cancellationToken).ConfigureAwait(false);
        return run.IsTerminal ? run : await WaitForRunAsync(run.Id, timeout: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts up to 1,000 runs at once, all or nothing (<c>POST /v1/agents/{agentId}/runs/batch</c>); when one input is
    /// invalid none is started and the error names it by index (<c>/inputs/3/topic</c>).
    /// </summary>
    /// <typeparam name="TInput">The inputs' type.</typeparam>
    /// <param name="agentId">The agent's id.</param>
    /// <param name="inputs">One input object per run.</param>
    /// <param name="revisionId">The revision to run; the published, else the latest, when null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The runs, in the order of <paramref name="inputs"/>.</returns>
    public async Task<IReadOnlyList<Run>> StartRunBatchAsync<TInput>(string agentId, IEnumerable<TInput> inputs, string? revisionId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var body = ToJson(new { inputs = inputs.Select(i => ToJson(i)).ToList(), revisionId });
        var page = await SendAsync<AgentryPage<Run>>(HttpMethod.Post, $"v1/agents/{Escape(agentId)}/runs/batch", () => JsonContent(body), cancellationToken).ConfigureAwait(false);
        return page.Items;
    }

    /// <summary>Gets a run (<c>GET /v1/runs/{runId}</c>).</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The run as it is now.</returns>
    public Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default) =>
        SendAsync<Run>(HttpMethod.Get, $"v1/runs/{Escape(runId)}", null, cancellationToken);

    /// <summary>
    /// Waits until a run ends, long-polling the server (<c>GET /v1/runs/{runId}?wait=</c>, up to 60 s per request) so it
    /// answers as soon as the run is terminal.
    /// </summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="timeout">How long to wait at most; without end when null.</param>
    /// <param name="cancellationToken">Stops waiting (the run goes on).</param>
    /// <returns>The run: terminal, or as it is when <paramref name="timeout"/> ran out.</returns>
    public async Task<Run> WaitForRunAsync(string runId, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var deadline = timeout is { } t ? DateTimeOffset.UtcNow + t : (DateTimeOffset?)null;
        while (true)
        {
            var remaining = deadline is { } d ? d - DateTimeOffset.UtcNow : MaxServerWait;
            var seconds = (int)Math.Clamp(Math.Ceiling(remaining.TotalSeconds), 0, MaxServerWait.TotalSeconds);
            var run = await SendAsync<Run>(HttpMethod.Get, $"v1/runs/{Escape(runId)}?wait={Text(seconds)}", null, cancellationToken).ConfigureAwait(false);
            if (run.IsTerminal || (deadline is { } end && DateTimeOffset.UtcNow >= end))
            {
                return run;
            }
        }
    }

    /// <summary>Lists the organization's runs, newest first, with filters and cursor paging (<c>GET /v1/runs</c>).</summary>
    /// <param name="query">Filters and paging; the first page of all runs when null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>One page; pass its <see cref="AgentryPage{T}.NextCursor"/> as <see cref="RunListQuery.Cursor"/> for the next.</returns>
    public Task<AgentryPage<Run>> ListRunsAsync(RunListQuery? query = null, CancellationToken cancellationToken = default)
    {
        var q = query ?? new RunListQuery();
        var path = "v1/runs" + Query(
            ("agentId", q.AgentId),
            ("revisionId", q.RevisionId),
            ("status", StatusName(q.Status)),
            ("errorCode", q.ErrorCode),
            ("createdAfter", Time(q.CreatedAfter)),
            ("createdBefore", Time(q.CreatedBefore)),
            ("cursor", q.Cursor),
            ("limit", Text(q.Limit)),
            ("offset", Text(q.Offset)));
        return SendAsync<AgentryPage<Run>>(HttpMethod.Get, path, null, cancellationToken);
    }

    /// <summary>Every run that matches <paramref name="query"/>, page after page by cursor, newest first.</summary>
    /// <param name="query">Filters (its <see cref="RunListQuery.Cursor"/> and <see cref="RunListQuery.Offset"/> start the walk); all runs when null.</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    /// <returns>The runs.</returns>
    public async IAsyncEnumerable<Run> ListAllRunsAsync(RunListQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var next = query ?? new RunListQuery();
        while (true)
        {
            var page = await ListRunsAsync(next, cancellationToken).ConfigureAwait(false);
            foreach (var run in page.Items)
            {
                yield return run;
            }

            if (page.NextCursor is null || page.Items.Count == 0)
            {
                yield break;
            }

            next = next with { Cursor = page.NextCursor, Offset = null };
        }
    }

    /// <summary>Lists one agent's runs, newest first (<c>GET /v1/agents/{agentId}/runs</c>).</summary>
    /// <param name="agentId">The agent's id.</param>
    /// <param name="status">Only runs in this status; all when null.</param>
    /// <param name="limit">The page size, 1–100; the server's default (20) when null.</param>
    /// <param name="offset">How many to skip; 0 when null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>One page.</returns>
    public Task<AgentryPage<Run>> ListAgentRunsAsync(string agentId, RunStatus? status = null, int? limit = null, int? offset = null, CancellationToken cancellationToken = default) =>
        SendAsync<AgentryPage<Run>>(
            HttpMethod.Get,
            $"v1/agents/{Escape(agentId)}/runs" + Query(("status", StatusName(status)), ("limit", Text(limit)), ("offset", Text(offset))),
            null,
            cancellationToken);

    /// <summary>Cancels a run: it ends in <see cref="RunStatus.Error"/> with code <c>cancelled</c> (<c>POST /v1/runs/{runId}/cancel</c>).</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The run as the cancel left it (it may still be ending).</returns>
    /// <exception cref="AgentryApiException"><c>conflict</c> (409) when the run has already ended.</exception>
    public Task<Run> CancelRunAsync(string runId, CancellationToken cancellationToken = default) =>
        SendAsync<Run>(HttpMethod.Post, $"v1/runs/{Escape(runId)}/cancel", null, cancellationToken);

    /// <summary>Starts a new run with the same input (<c>POST /v1/runs/{runId}/rerun</c>).</summary>
    /// <param name="runId">The run to repeat.</param>
    /// <param name="revisionId">Another revision to run it on; the same revision when null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The new run.</returns>
    public Task<Run> RerunAsync(string runId, string? revisionId = null, CancellationToken cancellationToken = default) =>
        SendAsync<Run>(HttpMethod.Post, $"v1/runs/{Escape(runId)}/rerun" + Query(("revisionId", revisionId)), null, cancellationToken);

    /// <summary>Lists a run's events in seq order (<c>GET /v1/runs/{runId}/events</c>).</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="afterSeq">Only events with a greater seq; all when null.</param>
    /// <param name="limit">The page size, 1–100; the server's default (20) when null.</param>
    /// <param name="offset">How many to skip; 0 when null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>One page.</returns>
    public Task<AgentryPage<RunEvent>> ListEventsAsync(string runId, int? afterSeq = null, int? limit = null, int? offset = null, CancellationToken cancellationToken = default) =>
        SendAsync<AgentryPage<RunEvent>>(
            HttpMethod.Get,
            $"v1/runs/{Escape(runId)}/events" + Query(("after", Text(afterSeq)), ("limit", Text(limit)), ("offset", Text(offset))),
            null,
            cancellationToken);

    /// <summary>
    /// A run's events live (<c>GET /v1/runs/{runId}/events/stream</c>): every creation or change of an event in position
    /// order (a change repeats the event with the same <see cref="RunEvent.Seq"/> and a new <see cref="RunEvent.Position"/>),
    /// ending when the run has ended and everything is sent. A dropped or refused connection is reopened with
    /// <c>Last-Event-ID</c> at the last position received, so nothing is missed or repeated; it gives up after
    /// <see cref="AgentryClientOptions.StreamReconnectAttempts"/> failures in a row.
    /// </summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="afterPosition">Start after this position; 0 replays from the start.</param>
    /// <param name="cancellationToken">Stops the stream.</param>
    /// <returns>The events.</returns>
    public async IAsyncEnumerable<RunEvent> StreamEventsAsync(string runId, long afterPosition = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var path = $"v1/runs/{Escape(runId)}/events/stream";
        var after = afterPosition;
        var failures = 0;
        while (true)
        {
            var opened = await OpenStreamAsync(path, after > 0 ? after.ToString(CultureInfo.InvariantCulture) : null, failures, cancellationToken).ConfigureAwait(false);
            if (opened is null)
            {
                failures++;
                continue;
            }

            using var response = opened;
            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                yield break;
            }

            var reader = new ServerSentEventReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) is { } message)
                {
                    failures = 0;
                    if (message.Event == "end")
                    {
                        yield break;
                    }

                    if (message.Data.Length == 0 || message.Id is null)
                    {
                        continue;
                    }

                    var item = JsonSerializer.Deserialize<RunEvent>(message.Data, Json);
                    if (item is null)
                    {
                        continue;
                    }

                    after = item.Position;
                    yield return item;
                }
            }

            // The connection closed before `end`: the server went away; resume from the last position.
            failures++;
            await ReconnectDelayAsync(failures, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The organization's run changes live (<c>GET /v1/runs/stream</c>): one <see cref="Run"/> as it stands per creation,
    /// status, usage or cancel change, from now on; it never ends by itself. A dropped connection is reopened with the
    /// last cursor received, so each run changed meanwhile arrives once, in its latest state.
    /// </summary>
    /// <param name="agentId">Only runs of this agent; all when null.</param>
    /// <param name="cancellationToken">Stops the stream.</param>
    /// <returns>The changed runs.</returns>
    public async IAsyncEnumerable<Run> StreamRunsAsync(string? agentId = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var path = "v1/runs/stream" + Query(("agentId", agentId));
        string? cursor = null;
        var failures = 0;
        while (true)
        {
            var opened = await OpenStreamAsync(path, cursor, failures, cancellationToken).ConfigureAwait(false);
            if (opened is null)
            {
                failures++;
                continue;
            }

            using var response = opened;
            var reader = new ServerSentEventReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) is { } message)
                {
                    failures = 0;
                    cursor = message.Id ?? cursor;
                    if (message.Event != "run" || message.Data.Length == 0)
                    {
                        continue;
                    }

                    if (JsonSerializer.Deserialize<Run>(message.Data, Json) is { } run)
                    {
                        yield return run;
                    }
                }
            }

            failures++;
            await ReconnectDelayAsync(failures, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Opens a stream after the cursor; null when the server could not be reached (after waiting the reconnect delay), so the caller tries again.</summary>
    private async Task<HttpResponseMessage?> OpenStreamAsync(string path, string? cursor, int failures, CancellationToken cancellationToken)
    {
        try
        {
            return await SendCheckedAsync(HttpMethod.Get, path, null, HttpCompletionOption.ResponseHeadersRead, cancellationToken, request =>
            {
                request.Headers.Accept.Add(EventStream);
                if (cursor is not null)
                {
                    request.Headers.Add("Last-Event-ID", cursor);
                }
            }).ConfigureAwait(false);
        }
        catch (HttpRequestException) when (failures < _options.StreamReconnectAttempts)
        {
            await ReconnectDelayAsync(failures + 1, cancellationToken).ConfigureAwait(false);
            return null;
        }
    }

    private async Task ReconnectDelayAsync(int failures, CancellationToken cancellationToken)
    {
        if (failures > _options.StreamReconnectAttempts)
        {
            throw new HttpRequestException($"The event stream dropped {failures} times in a row; the server at {_baseAddress} is not answering.");
        }

        await Task.Delay(Backoff(_options.StreamReconnectDelay, failures - 1, MaxReconnectDelay), cancellationToken).ConfigureAwait(false);
    }

    private static string? StatusName(RunStatus? status) => status switch
    {
        null => null,
        RunStatus.Pending => "pending",
        RunStatus.Running => "running",
        RunStatus.Done => "done",
        RunStatus.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a run status."),
    };
}
