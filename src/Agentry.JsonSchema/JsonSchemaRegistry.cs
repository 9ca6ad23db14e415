using System.Collections.Concurrent;
using System.Text.Json;
using Agentry.JsonSchema.Internal;

namespace Agentry.JsonSchema;

/// <summary>
/// Schema documents that <c>$ref</c> may reach by absolute URI. This is the only way a remote reference resolves:
/// the validator never touches the network. Safe to add to and read from several threads.
/// </summary>
public sealed class JsonSchemaRegistry
{
    private readonly ConcurrentDictionary<string, JsonElement> _documents = new(StringComparer.Ordinal);

    /// <summary>Registers <paramref name="schema"/> under <paramref name="uri"/> (absolute; any fragment is ignored).</summary>
    public void Add(Uri uri, JsonElement schema)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri)
        {
            throw new ArgumentException("The URI must be absolute.", nameof(uri));
        }

        Add(uri.OriginalString, schema);
    }

    /// <summary>Registers <paramref name="schema"/> under the absolute URI <paramref name="uri"/> (any fragment is ignored).</summary>
    public void Add(string uri, JsonElement schema)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!UriUtil.IsAbsolute(uri))
        {
            throw new ArgumentException($"The URI '{uri}' must be absolute.", nameof(uri));
        }

        // Clone so the caller may dispose its JsonDocument; the registry must outlive it.
        _documents[UriUtil.StripFragment(uri)] = schema.Clone();
    }

    internal bool TryGet(string uri, out JsonElement schema) => _documents.TryGetValue(uri, out schema);
}
