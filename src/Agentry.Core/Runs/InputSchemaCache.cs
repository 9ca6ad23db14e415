using Agentry.Core.Agents;
using Agentry.Core.Common;
using Agentry.JsonSchema;

namespace Agentry.Core.Runs;

/// <summary>Compiled input schemas by revision: revisions are immutable, so each schema is compiled once and shared by every run of it.</summary>
public sealed class InputSchemaCache
{
    // Agentry asserts formats on inputs: users expect "format": "email" to be enforced.
    private static readonly JsonSchemaOptions InputOptions = new() { FormatAssertion = true };

    private readonly BoundedCache<CompiledSchema> _byRevision = new(capacity: 2048);

    /// <summary>The compiled input schema of <paramref name="revision"/>.</summary>
    public CompiledSchema Get(AgentRevision revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        return _byRevision.GetOrAdd(revision.Id, static (_, schema) => JsonSchemaCompiler.Compile(schema, InputOptions), revision.Config.InputSchema);
    }
}
