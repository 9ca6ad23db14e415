using System.Text.Json;

namespace Agentry.JsonSchema.Internal;

/// <summary>Which keywords a schema resource understands: its draft, plus the vocabularies its meta-schema turns on.</summary>
internal sealed record Dialect(
    JsonSchemaDraft Draft,
    string MetaSchemaUri,
    bool Applicator,
    bool Validation,
    bool Unevaluated,
    bool FormatAssertion)
{
    public const string Draft202012Uri = "https://json-schema.org/draft/2020-12/schema";
    public const string Draft7Uri = "http://json-schema.org/draft-07/schema";

    public static Dialect Draft202012 { get; } = new(JsonSchemaDraft.Draft202012, Draft202012Uri, true, true, true, false);

    public static Dialect Draft7 { get; } = new(JsonSchemaDraft.Draft7, Draft7Uri, true, true, false, false);

    public static Dialect For(JsonSchemaDraft draft) => draft == JsonSchemaDraft.Draft7 ? Draft7 : Draft202012;

    /// <summary>Maps the well-known <c>$schema</c> spellings to a built-in dialect; null for anything else.</summary>
    public static Dialect? FromKnownUri(string uri)
    {
        var u = uri.TrimEnd('#');
        if (u.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            u = "http://" + u["https://".Length..];
        }

        return u switch
        {
            "http://json-schema.org/draft/2020-12/schema" => Draft202012,
            "http://json-schema.org/draft-07/schema" => Draft7,
            _ => null,
        };
    }
}

/// <summary>A JSON document holding schemas: the root schema, a registry entry or a built-in meta-schema.</summary>
internal sealed class SchemaDocument(string uri, JsonElement root, bool isRoot)
{
    public string Uri { get; } = uri;

    public JsonElement Root { get; } = root;

    /// <summary>Prefix for schema paths: nothing for the schema being compiled, the document URI for others.</summary>
    public string DisplayPrefix { get; } = isRoot ? string.Empty : uri;

    /// <summary>Every scanned schema location (JSON Pointer from the document root) and what applies there.</summary>
    public Dictionary<string, LocationInfo> Locations { get; } = new(StringComparer.Ordinal);

    public string Display(string pointer) => DisplayPrefix + "#" + pointer;
}

internal sealed record LocationInfo(string BaseUri, Dialect Dialect, SchemaResource Resource);

/// <summary>A schema resource (a document root or a subschema with <c>$id</c>): the unit of the dynamic scope.</summary>
internal sealed class SchemaResource(string uri, SchemaDocument document, string pointer)
{
    public string Uri { get; } = uri;

    public SchemaDocument Document { get; } = document;

    public string Pointer { get; } = pointer;

    /// <summary><c>$dynamicAnchor</c> name to the pointer of the schema that declares it.</summary>
    public Dictionary<string, string> DynamicAnchorPointers { get; } = new(StringComparer.Ordinal);

    /// <summary>Filled during compilation; read-only afterwards, so evaluation may share it between threads.</summary>
    public Dictionary<string, SchemaNode> DynamicAnchors { get; } = new(StringComparer.Ordinal);

    public bool AnchorsCompiled { get; set; }
}

/// <summary>One compiled schema location: a boolean schema or an ordered list of keyword validators.</summary>
internal sealed class SchemaNode(SchemaResource resource, string location)
{
    public SchemaResource Resource { get; } = resource;

    /// <summary>Where the schema is, e.g. <c>#/properties/name</c>.</summary>
    public string Location { get; } = location;

    public bool? Boolean { get; set; }

    public Keyword[] Keywords { get; set; } = [];

    /// <summary>True when the schema holds <c>unevaluated*</c>, which need annotations from its other keywords.</summary>
    public bool NeedsAnnotations { get; set; }

    /// <summary>For a <c>false</c> schema: the keyword that applied it, so the error names something meaningful.</summary>
    public string FalseKeyword { get; set; } = "false";
}

/// <summary>A compiled keyword. Implementations are immutable after compilation.</summary>
internal abstract class Keyword(string name, string schemaPath)
{
    public string Name { get; } = name;

    public string SchemaPath { get; } = schemaPath;

    /// <summary>Evaluates the keyword; records annotations into <paramref name="annotations"/> when it is not null.</summary>
    public abstract bool Evaluate(JsonElement instance, EvaluationContext context, Annotations? annotations);
}

/// <summary>What the keywords of one schema evaluated, for <c>unevaluatedProperties</c>/<c>unevaluatedItems</c>.</summary>
internal sealed class Annotations
{
    public HashSet<string>? Properties { get; private set; }

    public int PrefixItems { get; private set; }

    public bool AllItems { get; private set; }

    public HashSet<int>? Items { get; private set; }

    public void AddProperty(string name) => (Properties ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);

    public void AddPrefix(int count) => PrefixItems = Math.Max(PrefixItems, count);

    public void SetAllItems() => AllItems = true;

    public void AddItem(int index) => (Items ??= []).Add(index);

    public bool IsPropertyEvaluated(string name) => Properties?.Contains(name) == true;

    public bool IsItemEvaluated(int index) => AllItems || index < PrefixItems || Items?.Contains(index) == true;

    public void Merge(Annotations other)
    {
        if (other.Properties is not null)
        {
            if (Properties is null)
            {
                Properties = new HashSet<string>(other.Properties, StringComparer.Ordinal);
            }
            else
            {
                Properties.UnionWith(other.Properties);
            }
        }

        PrefixItems = Math.Max(PrefixItems, other.PrefixItems);
        AllItems |= other.AllItems;
        if (other.Items is not null)
        {
            (Items ??= []).UnionWith(other.Items);
        }
    }
}
