using System.Collections.Concurrent;

namespace Agentry.Core.Common;

/// <summary>
/// A thread-safe cache of values that are costly to build and never change for their key (compiled schemas and
/// templates of immutable revisions). Bounded so that many agents cannot grow it without end: when full it starts
/// over, which costs rebuilds, never correctness.
/// </summary>
public sealed class BoundedCache<TValue>(int capacity)
{
    private readonly ConcurrentDictionary<string, TValue> _values = new(StringComparer.Ordinal);

    /// <summary>The value for <paramref name="key"/>, built by <paramref name="build"/> on a miss.</summary>
    public TValue GetOrAdd<TState>(string key, Func<string, TState, TValue> build, TState state)
    {
        if (_values.TryGetValue(key, out var value))
        {
            return value;
        }

        if (_values.Count >= capacity)
        {
            _values.Clear();
        }

        return _values.GetOrAdd(key, build, state);
    }
}
