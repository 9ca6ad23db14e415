using System.Text.Json;
using Agentry.Core.Agents;
using Agentry.Core.Events;

namespace Agentry.Core.Runs;

/// <summary>A run as the API shows it (API.md, Runs): the engine's lease fields stay inside.</summary>
public sealed record RunResponse(
    string Id,
    string AgentId,
    string RevisionId,
    RunStatus Status,
    string? StatusMessage,
    JsonElement Input,
    RunError? Error,
    ResultType ResultType,
    JsonElement? ResultData,
    IReadOnlyList<RunSource> Sources,
    RunUsage Usage,
    string? Model,
    int Attempt,
    JsonElement? Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset UpdatedAt,
    string? TraceId)
{
    public static RunResponse From(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new(
            run.Id, run.AgentId, run.RevisionId, run.Status, run.StatusMessage, run.Input, run.Error, run.ResultType,
            run.ResultData, run.Sources, run.Usage, run.Model, run.Attempt, run.Metadata, run.CreatedAt, run.StartedAt,
            run.CompletedAt, run.UpdatedAt, run.TraceId);
    }
}

/// <summary>A page of runs; <see cref="NextCursor"/> continues it with <c>?cursor=</c>.</summary>
public sealed record RunListResponse(IReadOnlyList<RunResponse> Items, long Total, int Limit, int Offset, string? NextCursor);

/// <summary>The runs a batch started, in the order of its inputs.</summary>
public sealed record RunBatchResponse(IReadOnlyList<RunResponse> Items);

/// <summary>The body of a batch start.</summary>
public sealed record RunBatchRequest(IReadOnlyList<JsonElement>? Inputs, string? RevisionId);

/// <summary>An event as the API shows it (API.md, Events); <see cref="Timestamp"/> equals <see cref="StartedAt"/> for v0.1 clients.</summary>
public sealed record RunEventResponse(
    string Id,
    string RunId,
    int Seq,
    long Position,
    string Type,
    JsonElement Data,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset Timestamp)
{
    public static RunEventResponse From(RunEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new($"{e.RunId}:{e.Seq}", e.RunId, e.Seq, e.Position, e.Type, e.Data, e.StartedAt, e.FinishedAt, e.StartedAt);
    }
}

/// <summary>A page of events in seq order.</summary>
public sealed record RunEventListResponse(IReadOnlyList<RunEventResponse> Items, long Total, int Limit, int Offset);
