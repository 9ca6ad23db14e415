using System.Collections.Concurrent;
using System.Text.Json;

namespace Agentry.JsonSchema.Internal;

/// <summary>The draft meta-schemas embedded in the assembly, keyed by their $id (without fragment).</summary>
internal static class MetaSchemas
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Documents = new(Load);
    private static readonly ConcurrentDictionary<string, CompiledSchema> Validators = new(StringComparer.Ordinal);

    public static bool TryGet(string uri, out JsonElement schema) => Documents.Value.TryGetValue(uri, out schema);

    /// <summary>The compiled meta-schema for a built-in dialect, compiled once per process.</summary>
    public static CompiledSchema ValidatorFor(Dialect dialect) =>
        Validators.GetOrAdd(dialect.MetaSchemaUri, static uri =>
        {
            var (root, errors) = SchemaCompilation.Compile(Documents.Value[uri], JsonSchemaOptions.Default, uri);
            return errors.Count == 0
                ? new CompiledSchema(root, JsonSchemaOptions.Default)
                : throw new InvalidOperationException("Built-in meta-schema failed to compile: " + string.Join("; ", errors));
        });

    private static Dictionary<string, JsonElement> Load()
    {
        var assembly = typeof(MetaSchemas).Assembly;
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith("Agentry.JsonSchema.MetaSchemas.", StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var doc = JsonDocument.Parse(stream);
            var root = doc.RootElement.Clone();
            var id = UriUtil.StripFragment(root.GetProperty("$id").GetString()!);
            result[id] = root;
        }

        return result;
    }
}
