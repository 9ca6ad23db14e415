using System.Text.Json;
using System.Text.RegularExpressions;
using Agentry.Core.Common;
using Agentry.Core.Storage;

namespace Agentry.Core.Runs;

/// <summary>
/// Feedback on finished runs (<c>POST /v1/runs/{runId}/feedback {key, score, comment?}</c>): one score from 0 to 1 per
/// run and key, where a second score for the same key replaces the first (so a corrected judgement does not count
/// twice in the key's mean). The rollups follow in the same transaction.
/// </summary>
public sealed partial class RunFeedbackService(IRunFeedbackStore store, TimeProvider time)
{
    /// <summary>The longest key.</summary>
    public const int MaxKeyLength = 64;

    /// <summary>The longest comment.</summary>
    public const int MaxCommentLength = 4000;

    /// <summary>
    /// Validates <paramref name="body"/> and stores its score for the run. 422 naming each bad field, 404 when the
    /// organization has no such run, 409 while the run has not ended.
    /// </summary>
    public async Task<FeedbackWriteResult> SetAsync(string organizationId, string runId, JsonElement body, CancellationToken cancellationToken)
    {
        var (key, score, comment) = Validate(body);
        var now = time.GetUtcNow();
        var result = await store.SetFeedbackAsync(organizationId, new RunFeedback(runId, key, score, comment, now, now), cancellationToken);
        return result.Outcome switch
        {
            FeedbackWriteOutcome.RunNotFound => throw ProblemException.NotFound($"Run {runId}"),
            FeedbackWriteOutcome.RunNotFinished => throw ProblemException.Conflict($"Run {runId} has not ended; feedback judges a finished run's result."),
            _ => result,
        };
    }

    /// <summary>The run's feedback, one item per key in key order; 404 when the organization has no such run.</summary>
    public async Task<IReadOnlyList<RunFeedback>> ListAsync(string organizationId, string runId, CancellationToken cancellationToken) =>
        await store.ListFeedbackAsync(organizationId, runId, cancellationToken) ?? throw ProblemException.NotFound($"Run {runId}");

    private static (string Key, double Score, string? Comment) Validate(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw Invalid([new FieldError(string.Empty, "type", "the body must be an object {key, score, comment?}")]);
        }

        var errors = new List<FieldError>();
        string key = string.Empty;
        if (!body.TryGetProperty("key", out var keyElement) || keyElement.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new FieldError("/key", "required", "is required"));
        }
        else if (keyElement.ValueKind != JsonValueKind.String)
        {
            errors.Add(new FieldError("/key", "type", "must be a string"));
        }
        else
        {
            key = keyElement.GetString()!;
            if (key.Length is 0 or > MaxKeyLength || !KeyPattern().IsMatch(key))
            {
                errors.Add(new FieldError("/key", "pattern", $"must be 1 to {MaxKeyLength} letters, digits, '_', '-', '.' or ':', starting with a letter or digit"));
            }
        }

        double score = 0;
        if (!body.TryGetProperty("score", out var scoreElement) || scoreElement.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new FieldError("/score", "required", "is required"));
        }
        else if (scoreElement.ValueKind != JsonValueKind.Number || !scoreElement.TryGetDouble(out score))
        {
            errors.Add(new FieldError("/score", "type", "must be a number"));
        }
        else if (score is < 0 or > 1)
        {
            errors.Add(new FieldError("/score", score < 0 ? "minimum" : "maximum", "must be from 0 to 1"));
        }

        string? comment = null;
        if (body.TryGetProperty("comment", out var commentElement) && commentElement.ValueKind != JsonValueKind.Null)
        {
            if (commentElement.ValueKind != JsonValueKind.String)
            {
                errors.Add(new FieldError("/comment", "type", "must be a string"));
            }
            else if ((comment = commentElement.GetString()!).Length > MaxCommentLength)
            {
                errors.Add(new FieldError("/comment", "maxLength", $"must be at most {MaxCommentLength} characters"));
            }
        }

        return errors.Count > 0 ? throw Invalid(errors) : (key, score, comment);
    }

    private static ProblemException Invalid(List<FieldError> errors) =>
        ProblemException.Unprocessable(
            ProblemCodes.InvalidInput,
            $"{errors.Count} problem{(errors.Count == 1 ? string.Empty : "s")}: {string.Join("; ", errors.Select(static e => $"{(e.Path.Length == 0 ? "the body" : e.Path)} {e.Message}"))}",
            errors);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.:-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}

/// <summary>A feedback item as the API shows it.</summary>
public sealed record RunFeedbackResponse(string RunId, string Key, double Score, string? Comment, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static RunFeedbackResponse From(RunFeedback feedback)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        return new(feedback.RunId, feedback.Key, feedback.Score, feedback.Comment, feedback.CreatedAt, feedback.UpdatedAt);
    }
}

/// <summary>A run's feedback, one item per key.</summary>
public sealed record RunFeedbackListResponse(IReadOnlyList<RunFeedbackResponse> Items);

/// <summary>
/// The body of <c>POST /v1/runs/{runId}/feedback</c> as the API documents it; <see cref="RunFeedbackService"/> reads the
/// JSON itself so that every invalid field gets its own error.
/// </summary>
/// <param name="Key">What is judged (e.g. <c>accuracy</c>): letters, digits, <c>_ - . :</c>.</param>
/// <param name="Score">From 0 (worst) to 1 (best).</param>
/// <param name="Comment">Why, optionally.</param>
public sealed record RunFeedbackRequest(string Key, double Score, string? Comment = null);
