namespace Agentry.Core.Models;

/// <summary>
/// A model call that failed for good: not transient, or still failing after the last retry. The message is the
/// provider's own, scrubbed of secrets (<see cref="SecretScrubber"/>); the provider's exception is deliberately not
/// kept as the inner exception, because its message, headers and request may carry the key into logs.
/// </summary>
public sealed class ModelProviderException : Exception
{
    public ModelProviderException()
    {
    }

    public ModelProviderException(string message)
        : base(message)
    {
    }

    public ModelProviderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <param name="message">The scrubbed message.</param>
    /// <param name="statusCode">The HTTP status the provider answered with; null when there was no answer.</param>
    /// <param name="transient">Whether the failure was of a kind that is retried (and the retries ran out).</param>
    /// <param name="attempts">How many calls were made.</param>
    public ModelProviderException(string message, int? statusCode, bool transient, int attempts)
        : base(message)
    {
        StatusCode = statusCode;
        Transient = transient;
        Attempts = attempts;
    }

    /// <summary>The HTTP status of the provider's answer; null when there was none (connection failure, timeout).</summary>
    public int? StatusCode { get; }

    /// <summary>True when the failure was transient and the retries ran out.</summary>
    public bool Transient { get; }

    /// <summary>How many calls were made before giving up.</summary>
    public int Attempts { get; }
}
