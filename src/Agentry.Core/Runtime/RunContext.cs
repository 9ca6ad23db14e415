using Agentry.Core.Agents;
using Agentry.Core.Common;
using Agentry.Core.Events;
using Agentry.Core.Runs;

namespace Agentry.Core.Runtime;

/// <summary>Everything a runtime needs to execute one run.</summary>
public sealed record RunContext(Run Run, AgentRevision Revision, IRunEventSink Events)
{
    /// <summary>
    /// The sources the run's tools consulted. Tool providers get the context when they build a run's functions, so a
    /// tool records what it read here and the loop returns the same list as the run's <c>sources</c>.
    /// </summary>
    /// <remarks>A copy made with <c>with</c> shares this recorder: it belongs to the run, not to one context value.</remarks>
    public RunSources Sources { get; } = new(Events);
}

/// <summary>
/// The sources of one run, de-duplicated by URL in first-consulted order. The first time a URL is recorded it becomes
/// a <c>source</c> event; its position (1-based) is the number a document result cites it by.
/// </summary>
public sealed class RunSources
{
    private readonly IRunEventSink _events;
    private readonly Lock _gate = new();
    private readonly List<RunSource> _sources = [];
    private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);

    public RunSources(IRunEventSink events)
    {
        ArgumentNullException.ThrowIfNull(events);
        _events = events;
    }

    /// <summary>Records <paramref name="source"/> unless its URL is already known, and answers its citation number.</summary>
    public int Add(RunSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        lock (_gate)
        {
            if (_positions.TryGetValue(source.Url, out var known))
            {
                return known;
            }

            _sources.Add(source);
            var position = _sources.Count;
            _positions[source.Url] = position;

            // Appending under the lock keeps the source events in the same order as the list when tools run in parallel.
            _events.Append(
                RunEventTypes.Source,
                source.Snippet is null
                    ? AgentryJson.ToElement(new { url = source.Url, title = source.Title })
                    : AgentryJson.ToElement(new { url = source.Url, title = source.Title, snippet = source.Snippet }));
            return position;
        }
    }

    /// <summary>The sources recorded so far, in first-consulted order.</summary>
    public IReadOnlyList<RunSource> Snapshot()
    {
        lock (_gate)
        {
            return [.. _sources];
        }
    }
}
