using System.Text.Json;
using Agentry.Core.Runs;

namespace Agentry.Core.Runtime;

/// <summary>
/// Executes one run of an agent: renders the goal, plans, calls the model and tools, and produces the result.
/// It reports every step through <see cref="RunContext.Events"/>; the engine owns claiming, leases, status and
/// persistence. It must honour <c>cancellationToken</c> promptly (cancellation and timeouts reach it through it).
/// </summary>
public interface IAgentRuntime
{
    /// <summary>
    /// Runs the agent to its result. Throws <see cref="RunFailedException"/> for a failure with an API error code
    /// (<c>model_unavailable</c>, <c>invalid_result</c>, <c>budget_exceeded</c>, …) and
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires.
    /// </summary>
    Task<RunOutcome> ExecuteAsync(RunContext context, CancellationToken cancellationToken);
}

/// <summary>What a finished run produced.</summary>
/// <param name="ResultData">For <c>document</c>: <c>{"result": markdown, "sources": [...]}</c>; for <c>json</c>: the object, valid against <c>resultSchema</c>.</param>
/// <param name="Sources">The sources consulted, in citation order.</param>
/// <param name="Usage">The run's final usage.</param>
/// <param name="Model">The concrete model used.</param>
public sealed record RunOutcome(JsonElement ResultData, IReadOnlyList<RunSource> Sources, RunUsage Usage, string? Model);

/// <summary>A failure the runtime names with one of the API's error codes (<see cref="RunErrorCodes"/>).</summary>
public sealed class RunFailedException : Exception
{
    public RunFailedException(string code, string message, int? eventSeq = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        EventSeq = eventSeq;
    }

    public RunFailedException()
        : this(RunErrorCodes.Internal, "The run failed.")
    {
    }

    public RunFailedException(string message)
        : this(RunErrorCodes.Internal, message)
    {
    }

    public RunFailedException(string message, Exception innerException)
        : this(RunErrorCodes.Internal, message, null, innerException)
    {
    }

    /// <summary>The API error code, one of <see cref="RunErrorCodes"/>.</summary>
    public string Code { get; }

    /// <summary>The event where it went wrong, when there is one.</summary>
    public int? EventSeq { get; }
}
