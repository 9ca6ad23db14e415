using System.Collections.Concurrent;
using Agentry.Core.Agents;
using Agentry.JsonSchema;

namespace Agentry.Core.Runs;

/// <summary>
/// Compiled input schemas by revision. Revisions are immutable, so a schema is compiled once and shared by every
/// run of that revision; the cache is bounded so that many agents cannot grow it without end.
/// </summary>
public sealed class InputSchemaCache
{
    private const int Capacity = 2048;

    // Agentry asserts formats on inputs: users expect "format": "email" to be enforced.
    private static readonly JsonSchemaOptions InputOptions = new() { FormatAssertion = true };

    private readonly ConcurrentDictionary<string, CompiledSchema> _byRevision = new(StringComparer.Ordinal);

    /// <summary>The compiled input schema of <paramref name="revision"/>.</summary>
    public CompiledSchema Get(AgentRevision revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        if (_byRevision.TryGetValue(revision.Id, out var compiled))
        {
            return compiled;
        }

        if (_byRevision.Count >= Capacity)
        {
            // Crude but bounded: dropping everything costs recompiles, never correctness.
            _byRevision.Clear();
        }

        return _byRevision.GetOrAdd(revision.Id, static (_, schema) => JsonSchemaCompiler.Compile(schema, InputOptions), revision.Config.InputSchema);
    }
}
