using System.Security.Cryptography;
using System.Text.Json;
using Agentry.Core.Agents;
using Agentry.Core.Common;
using Agentry.Core.Events;
using Agentry.Core.Execution;
using Agentry.Core.Storage;

namespace Agentry.Core.Runs;

/// <summary>How a run is started besides its input.</summary>
/// <param name="RevisionId">The revision to run; else the published one; else the latest.</param>
/// <param name="IdempotencyKey">The same key and input within 24 h answer the same run.</param>
/// <param name="Metadata">Caller data stored with the run.</param>
public sealed record StartRunOptions(string? RevisionId = null, string? IdempotencyKey = null, JsonElement? Metadata = null);

/// <summary>A started run; <paramref name="Created"/> is false when an idempotency key answered an existing run.</summary>
public sealed record RunStart(Run Run, bool Created);

/// <summary>
/// Runs as the API sees them: start (alone or in a batch), read, list, wait, cancel and rerun. Every refusal is a
/// <see cref="ProblemException"/> raised before anything is stored.
/// </summary>
public sealed class RunService(
    IAgentStore agents,
    IRunStore runs,
    EventWriter writer,
    RunEventHub hub,
    ActiveRuns activeRuns,
    RunStateMachine stateMachine,
    InputSchemaCache inputSchemas,
    IdGenerator ids,
    TimeProvider time)
{
    /// <summary>The most inputs one batch may start.</summary>
    public const int MaxBatchSize = 1000;

    /// <summary>How long an idempotency key names its run.</summary>
    public static readonly TimeSpan IdempotencyWindow = TimeSpan.FromHours(24);

    /// <summary>Validates <paramref name="input"/> against the resolved revision's input schema and stores a pending run.</summary>
    public async Task<RunStart> StartAsync(string organizationId, string agentId, JsonElement input, StartRunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var revision = await ResolveRevisionAsync(organizationId, agentId, options.RevisionId, cancellationToken);
        var errors = ValidateInput(revision, input, pathPrefix: string.Empty);
        if (errors.Count > 0)
        {
            throw InvalidInput(errors);
        }

        var idempotency = options.IdempotencyKey is { } key
            ? new IdempotencyClaim(key, HashInput(input), time.GetUtcNow() + IdempotencyWindow)
            : null;
        var result = await writer.WriteAsync(RunStateMachine.Create(NewRun(revision, input, options), idempotency), cancellationToken);
        return result.Outcome switch
        {
            RunWriteOutcome.Applied => new RunStart(result.Run!, Created: true),
            RunWriteOutcome.Existing => new RunStart(result.Run!, Created: false),
            RunWriteOutcome.Conflict => throw ProblemException.Conflict(
                $"The Idempotency-Key \"{options.IdempotencyKey}\" was already used within 24 hours with a different input."),
            _ => throw new InvalidOperationException($"Creating a run answered {result.Outcome}."),
        };
    }

    /// <summary>
    /// Starts one run per input, all or nothing: every input is validated first, and an error names the index of
    /// each bad input (<c>/inputs/3/topic</c>); the runs are stored in one transaction.
    /// </summary>
    public async Task<IReadOnlyList<Run>> StartBatchAsync(string organizationId, string agentId, IReadOnlyList<JsonElement> inputs, string? revisionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count is 0 or > MaxBatchSize)
        {
            throw ProblemException.Unprocessable(
                ProblemCodes.InvalidInput,
                $"A batch takes 1 to {MaxBatchSize} inputs; this one has {inputs.Count}.",
                [new FieldError("/inputs", inputs.Count == 0 ? "minItems" : "maxItems", $"must have 1 to {MaxBatchSize} items")]);
        }

        var revision = await ResolveRevisionAsync(organizationId, agentId, revisionId, cancellationToken);
        var errors = new List<FieldError>();
        for (var i = 0; i < inputs.Count; i++)
        {
            errors.AddRange(ValidateInput(revision, inputs[i], $"/inputs/{i}"));
        }

        if (errors.Count > 0)
        {
            var bad = errors.Select(static e => e.Path.Split('/')[2]).Distinct(StringComparer.Ordinal).Count();
            throw ProblemException.Unprocessable(
                ProblemCodes.InvalidInput,
                $"{bad} of {inputs.Count} inputs do not match the agent's inputSchema; no run was started. {Summarize(errors)}",
                errors);
        }

        var options = new StartRunOptions(revision.Id);
        var writes = inputs.Select(input => (RunWrite)RunStateMachine.Create(NewRun(revision, input, options), null)).ToList();
        var results = await writer.WriteAsync(writes, cancellationToken);
        return [.. results.Select(static r => r.Run!)];
    }

    /// <summary>One run of the organization, or 404.</summary>
    public async Task<Run> GetAsync(string organizationId, string runId, CancellationToken cancellationToken) =>
        await runs.GetAsync(organizationId, runId, cancellationToken) ?? throw ProblemException.NotFound($"Run {runId}");

    /// <summary>
    /// The run once it is terminal, or as it stands when <paramref name="wait"/> has passed; 404 when it does
    /// not exist. Woken by the run's commits, so it answers as soon as the run ends.
    /// </summary>
    public async Task<Run> WaitAsync(string organizationId, string runId, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var subscription = hub.Subscribe(runId, statusChangesOnly: true);
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            var run = await GetAsync(organizationId, runId, cancellationToken);
            var left = deadline - time.GetUtcNow();
            if (run.IsTerminal || left <= TimeSpan.Zero)
            {
                return run;
            }

            await subscription.WaitAsync(left, cancellationToken);
        }
    }

    /// <summary>Runs matching <paramref name="query"/>, newest first.</summary>
    public Task<RunPage> ListAsync(RunQuery query, CancellationToken cancellationToken) => runs.ListAsync(query, cancellationToken);

    /// <summary>An agent's runs (deleted agents included: their runs stay readable); 404 when the organization has no such agent.</summary>
    public async Task<RunPage> ListForAgentAsync(RunQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentException.ThrowIfNullOrEmpty(query.AgentId);
        await RequireAgentAsync(query.OrganizationId, query.AgentId, cancellationToken);
        return await runs.ListAsync(query, cancellationToken);
    }

    /// <summary>404 unless the organization has the agent (deleted agents included, like <see cref="ListForAgentAsync"/>).</summary>
    public async Task RequireAgentAsync(string organizationId, string agentId, CancellationToken cancellationToken) =>
        _ = await agents.GetAsync(organizationId, agentId, cancellationToken) ?? throw ProblemException.NotFound($"Agent {agentId}");

    /// <summary>The organization's newest run change: the cursor of a change feed that starts from now.</summary>
    public Task<long> GetLastChangeAsync(string organizationId, CancellationToken cancellationToken) =>
        runs.GetLastChangeAsync(organizationId, cancellationToken);

    /// <summary>The organization's runs (or one agent's) changed after <paramref name="afterChange"/>, in change order, each once in its current state.</summary>
    public Task<IReadOnlyList<Run>> ReadChangesAsync(string organizationId, string? agentId, long afterChange, int limit, CancellationToken cancellationToken) =>
        runs.ReadChangesAsync(organizationId, agentId, afterChange, limit, cancellationToken);

    /// <summary>
    /// Cancels a run: a pending run ends at once; a running run is stopped by its worker within a second (at once on
    /// this node; on the next heartbeat elsewhere). 409 when the run has already ended.
    /// </summary>
    public async Task<Run> CancelAsync(string organizationId, string runId, CancellationToken cancellationToken)
    {
        var run = await GetAsync(organizationId, runId, cancellationToken);
        if (run.Status == RunStatus.Pending)
        {
            var result = await writer.WriteAsync(stateMachine.CancelPending(run.Id), cancellationToken);
            if (result.Outcome == RunWriteOutcome.Applied)
            {
                return result.Run!;
            }

            // Claimed in the meantime: cancel it as a running run.
            run = await GetAsync(organizationId, runId, cancellationToken);
        }

        if (run.Status == RunStatus.Running && await runs.RequestCancelAsync(organizationId, run.Id, time.GetUtcNow(), cancellationToken))
        {
            // The request changed the run row outside the writer: live run lists re-read it.
            hub.PublishOrganizations([organizationId]);
            activeRuns.TryStop(run.Id, RunStopReason.Cancelled);
            return await GetAsync(organizationId, runId, cancellationToken);
        }

        run = await GetAsync(organizationId, runId, cancellationToken);
        throw ProblemException.Conflict($"Run {run.Id} has already ended ({run.Status.ToApiName()}); there is nothing to cancel.");
    }

    /// <summary>A new run with the same input, on the same revision unless <paramref name="revisionId"/> names another.</summary>
    public async Task<Run> RerunAsync(string organizationId, string runId, string? revisionId, CancellationToken cancellationToken)
    {
        var original = await GetAsync(organizationId, runId, cancellationToken);
        var started = await StartAsync(
            organizationId,
            original.AgentId,
            original.Input,
            new StartRunOptions(revisionId ?? original.RevisionId, Metadata: original.Metadata),
            cancellationToken);
        return started.Run;
    }

    private async Task<AgentRevision> ResolveRevisionAsync(string organizationId, string agentId, string? revisionId, CancellationToken cancellationToken)
    {
        var agent = await agents.GetAsync(organizationId, agentId, cancellationToken) ?? throw ProblemException.NotFound($"Agent {agentId}");
        if (agent.DeletedAt is not null)
        {
            throw ProblemException.Conflict($"Agent {agentId} was deleted; its runs stay readable but no new run can start.");
        }

        var id = revisionId ?? agent.PublishedRevisionId ?? agent.LatestRevisionId;
        return await agents.GetRevisionAsync(organizationId, agentId, id, cancellationToken)
            ?? throw ProblemException.NotFound($"Revision {id} of agent {agentId}");
    }

    private List<FieldError> ValidateInput(AgentRevision revision, JsonElement input, string pathPrefix)
    {
        if (input.ValueKind != JsonValueKind.Object)
        {
            return [new FieldError(pathPrefix, "type", $"the input must be a JSON object, not {KindName(input.ValueKind)}")];
        }

        var result = inputSchemas.Get(revision).Validate(input);
        return [.. result.Errors.Select(e => new FieldError(pathPrefix + e.Path, e.Keyword, e.Message, e.SchemaPath))];
    }

    private Run NewRun(AgentRevision revision, JsonElement input, StartRunOptions options)
    {
        var now = time.GetUtcNow();
        return new Run
        {
            Id = ids.New(IdGenerator.Prefix.Run),
            OrganizationId = revision.OrganizationId,
            AgentId = revision.AgentId,
            RevisionId = revision.Id,
            Status = RunStatus.Pending,
            Input = input.Clone(),
            ResultType = revision.Config.ResultType,
            Metadata = options.Metadata?.Clone(),
            IdempotencyKey = options.IdempotencyKey,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    private static ProblemException InvalidInput(IReadOnlyList<FieldError> errors) =>
        ProblemException.Unprocessable(ProblemCodes.InvalidInput, Summarize(errors), errors);

    private static string Summarize(IReadOnlyList<FieldError> errors)
    {
        var shown = string.Join("; ", errors.Take(5).Select(static e => $"{(e.Path.Length == 0 ? "the input" : e.Path)} {e.Message}"));
        var more = errors.Count > 5 ? $"; and {errors.Count - 5} more" : string.Empty;
        return $"{errors.Count} problem{(errors.Count == 1 ? string.Empty : "s")}: {shown}{more}";
    }

    private static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>A hash of the input that ignores whitespace and property order, for idempotency keys.</summary>
    internal static string HashInput(JsonElement input)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            WriteCanonical(json, input);
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    private static void WriteCanonical(Utf8JsonWriter json, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                json.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(static p => p.Name, StringComparer.Ordinal))
                {
                    json.WritePropertyName(property.Name);
                    WriteCanonical(json, property.Value);
                }

                json.WriteEndObject();
                break;
            case JsonValueKind.Array:
                json.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(json, item);
                }

                json.WriteEndArray();
                break;
            default:
                element.WriteTo(json);
                break;
        }
    }
}
