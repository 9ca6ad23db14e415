namespace Agentry.Core.Runs;

/// <summary>
/// A person's or a checker's judgement of a run's result under one key (<c>accuracy</c>, <c>helpfulness</c>, …): a
/// score from 0 to 1 and an optional comment. A run holds at most one score per key; a later one replaces it,
/// keeping <see cref="CreatedAt"/> and moving <see cref="UpdatedAt"/>.
/// </summary>
public sealed record RunFeedback(string RunId, string Key, double Score, string? Comment, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
