using Agentry.Core.Runs;

namespace Agentry.Core.Storage;

/// <summary>Feedback on runs: one score per run and key, kept in step with the analytics rollups.</summary>
public interface IRunFeedbackStore
{
    /// <summary>
    /// Stores <paramref name="feedback"/> for its run and key, replacing an earlier score of the same key, and updates
    /// the run's rollup cell in the same transaction. Applies only to a finished run of the organization.
    /// </summary>
    Task<FeedbackWriteResult> SetFeedbackAsync(string organizationId, RunFeedback feedback, CancellationToken cancellationToken);

    /// <summary>The run's feedback by key; null when the organization has no such run.</summary>
    Task<IReadOnlyList<RunFeedback>?> ListFeedbackAsync(string organizationId, string runId, CancellationToken cancellationToken);
}

/// <summary>How a feedback write fared; <see cref="Stored"/> is the feedback as stored when it applied.</summary>
public sealed record FeedbackWriteResult(FeedbackWriteOutcome Outcome, RunFeedback? Stored);

/// <summary>The outcomes of <see cref="IRunFeedbackStore.SetFeedbackAsync"/>.</summary>
public enum FeedbackWriteOutcome
{
    /// <summary>The first score of this key for the run.</summary>
    Created,

    /// <summary>It replaced the key's earlier score.</summary>
    Replaced,

    /// <summary>The organization has no such run.</summary>
    RunNotFound,

    /// <summary>The run has not ended; there is no result to judge yet.</summary>
    RunNotFinished,
}
