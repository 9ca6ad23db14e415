using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Agentry.JsonSchema.Internal;

/// <summary>
/// Turns schema documents into a graph of <see cref="SchemaNode"/>s. First every document is scanned for
/// identifiers ($id, $anchor, $dynamicAnchor, draft-07 "#name" ids) so references can be resolved in any order;
/// then nodes are compiled from a work queue (not recursion), each $ref pointing straight at its target node,
/// which allows cycles. Every problem is collected rather than thrown.
/// </summary>
internal sealed class SchemaCompilation
{
    /// <summary>Base URI of a root schema without an absolute $id; ".invalid" can never name a real document.</summary>
    public const string DefaultBaseUri = "https://schema.invalid/root.json";

    private static readonly HashSet<string> ValidationKeywords = new(StringComparer.Ordinal)
    {
        "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength",
        "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains", "maxProperties",
        "minProperties", "required", "dependentRequired",
    };

    private static readonly HashSet<string> ApplicatorKeywords = new(StringComparer.Ordinal)
    {
        "prefixItems", "items", "contains", "additionalProperties", "properties", "patternProperties", "dependentSchemas",
        "propertyNames", "if", "then", "else", "allOf", "anyOf", "oneOf", "not", "additionalItems", "dependencies",
    };

    private readonly JsonSchemaOptions _options;
    private readonly List<SchemaError> _errors = [];
    private readonly Dictionary<string, (SchemaDocument Doc, string Pointer)> _resources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (SchemaDocument Doc, string Pointer)> _anchors = new(StringComparer.Ordinal);
    private readonly Dictionary<(SchemaDocument, string), SchemaNode> _nodes = [];
    private readonly Queue<(SchemaNode Node, SchemaDocument Doc, string Pointer, LocationInfo Info)> _pending = new();
    private readonly Dictionary<string, Dialect> _customDialects = new(StringComparer.Ordinal);

    private SchemaCompilation(JsonSchemaOptions options) => _options = options;

    public static (SchemaNode Root, List<SchemaError> Errors) Compile(JsonElement schema, JsonSchemaOptions options, string? retrievalUri = null)
    {
        var compilation = new SchemaCompilation(options);
        var defaultDialect = Dialect.For(options.DefaultDraft ?? JsonSchemaDraft.Draft202012);
        var doc = compilation.LoadDocument(retrievalUri ?? DefaultBaseUri, schema, retrievalUri is null, defaultDialect);
        var root = compilation.GetNode(doc, string.Empty);
        compilation.Drain();
        return (root, compilation._errors);
    }

    /// <summary>The dialect a root schema declares (or the default), with any problem naming its $schema.</summary>
    public static Dialect DetectDialect(JsonElement schema, JsonSchemaOptions options, List<SchemaError> errors)
    {
        var compilation = new SchemaCompilation(options);
        var fallback = Dialect.For(options.DefaultDraft ?? JsonSchemaDraft.Draft202012);
        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$schema", out var s) && s.ValueKind == JsonValueKind.String)
        {
            var doc = new SchemaDocument(DefaultBaseUri, schema, true);
            var dialect = compilation.ResolveDialect(s.GetString()!, doc, string.Empty, fallback, 0);
            errors.AddRange(compilation._errors);
            return dialect;
        }

        return fallback;
    }

    private void Drain()
    {
        while (_pending.TryDequeue(out var item))
        {
            CompileNode(item.Node, item.Doc, item.Pointer, item.Info);
        }
    }

    private SchemaDocument LoadDocument(string uri, JsonElement root, bool isRoot, Dialect inherited)
    {
        var doc = new SchemaDocument(uri, root, isRoot);
        var dialect = inherited;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("$schema", out var s) && s.ValueKind == JsonValueKind.String)
        {
            dialect = ResolveDialect(s.GetString()!, doc, string.Empty, inherited, 0);
        }

        var resource = new SchemaResource(uri, doc, string.Empty);
        _resources.TryAdd(uri, (doc, string.Empty));
        Scan(doc, root, string.Empty, uri, dialect, resource, 0);
        return doc;
    }

    private bool TryLoadExternal(string uri, Dialect inherited)
    {
        if (_options.Registry is { } registry && registry.TryGet(uri, out var element))
        {
            LoadDocument(uri, element, false, inherited);
            return true;
        }

        if (MetaSchemas.TryGet(uri, out element))
        {
            LoadDocument(uri, element, false, Dialect.Draft202012);
            return true;
        }

        return false;
    }

    private Dialect ResolveDialect(string uri, SchemaDocument doc, string pointer, Dialect fallback, int depth)
    {
        if (Dialect.FromKnownUri(uri) is { } known)
        {
            return known;
        }

        var key = UriUtil.StripFragment(uri);
        if (_customDialects.TryGetValue(key, out var custom))
        {
            return custom;
        }

        if (depth > 8 || _options.Registry is null || !_options.Registry.TryGet(key, out var meta) || meta.ValueKind != JsonValueKind.Object)
        {
            AddError(doc, pointer, "$schema", $"unknown or unsupported $schema {Describe.Quote(uri)}: use draft 2020-12 or draft-07, or register the meta-schema in JsonSchemaOptions.Registry");
            return fallback;
        }

        // A custom meta-schema: its $vocabulary says which keyword groups apply (absent: those of its own $schema).
        var parent = meta.TryGetProperty("$schema", out var ps) && ps.ValueKind == JsonValueKind.String && UriUtil.StripFragment(ps.GetString()!) != key
            ? ResolveDialect(ps.GetString()!, doc, pointer, fallback, depth + 1)
            : Dialect.Draft202012;
        custom = parent with { MetaSchemaUri = key };
        if (meta.TryGetProperty("$vocabulary", out var vocabulary) && vocabulary.ValueKind == JsonValueKind.Object)
        {
            bool applicator = false, validation = false, unevaluated = false, formatAssertion = false;
            foreach (var v in vocabulary.EnumerateObject())
            {
                switch (v.Name)
                {
                    case "https://json-schema.org/draft/2020-12/vocab/applicator": applicator = true; break;
                    case "https://json-schema.org/draft/2020-12/vocab/validation": validation = true; break;
                    case "https://json-schema.org/draft/2020-12/vocab/unevaluated": unevaluated = true; break;
                    case "https://json-schema.org/draft/2020-12/vocab/format-assertion": formatAssertion = true; break;
                    case "https://json-schema.org/draft/2020-12/vocab/core":
                    case "https://json-schema.org/draft/2020-12/vocab/meta-data":
                    case "https://json-schema.org/draft/2020-12/vocab/format-annotation":
                    case "https://json-schema.org/draft/2020-12/vocab/content":
                        break;
                    default:
                        if (v.Value.ValueKind == JsonValueKind.True)
                        {
                            AddError(doc, pointer, "$schema", $"the meta-schema {Describe.Quote(key)} requires the unsupported vocabulary {Describe.Quote(v.Name)}");
                        }

                        break;
                }
            }

            custom = new Dialect(JsonSchemaDraft.Draft202012, key, applicator, validation, unevaluated, formatAssertion);
        }

        _customDialects[key] = custom;
        return custom;
    }

    private void Scan(SchemaDocument doc, JsonElement element, string pointer, string baseUri, Dialect dialect, SchemaResource resource, int depth)
    {
        if (depth > _options.MaxDepth)
        {
            AddError(doc, pointer, "$schema", $"the schema nests more than {_options.MaxDepth.ToString(CultureInfo.InvariantCulture)} levels deep");
            return;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            doc.Locations.TryAdd(pointer, new LocationInfo(baseUri, dialect, resource));
            return;
        }

        var hasRef = element.TryGetProperty("$ref", out _);
        if (element.TryGetProperty("$id", out var id) && id.ValueKind == JsonValueKind.String && !(dialect.Draft == JsonSchemaDraft.Draft7 && hasRef))
        {
            if (pointer.Length > 0 && element.TryGetProperty("$schema", out var s) && s.ValueKind == JsonValueKind.String)
            {
                dialect = ResolveDialect(s.GetString()!, doc, pointer, dialect, 0);
            }

            var idValue = id.GetString()!;
            if (dialect.Draft == JsonSchemaDraft.Draft7 && idValue.StartsWith('#'))
            {
                _anchors.TryAdd(UriUtil.StripFragment(baseUri) + idValue, (doc, pointer));
            }
            else
            {
                var (absolute, fragment) = UriUtil.Split(UriUtil.Resolve(baseUri, idValue));
                if (absolute != resource.Uri)
                {
                    resource = new SchemaResource(absolute, doc, pointer);
                    _resources.TryAdd(absolute, (doc, pointer));
                }

                baseUri = absolute;
                if (fragment.Length > 0 && !fragment.StartsWith('/'))
                {
                    _anchors.TryAdd(absolute + "#" + fragment, (doc, pointer));
                }
            }
        }

        if (dialect.Draft == JsonSchemaDraft.Draft202012)
        {
            if (element.TryGetProperty("$anchor", out var anchor) && anchor.ValueKind == JsonValueKind.String)
            {
                _anchors.TryAdd(baseUri + "#" + anchor.GetString(), (doc, pointer));
            }

            if (element.TryGetProperty("$dynamicAnchor", out var dynamicAnchor) && dynamicAnchor.ValueKind == JsonValueKind.String)
            {
                _anchors.TryAdd(baseUri + "#" + dynamicAnchor.GetString(), (doc, pointer));
                resource.DynamicAnchorPointers.TryAdd(dynamicAnchor.GetString()!, pointer);
            }
        }

        doc.Locations[pointer] = new LocationInfo(baseUri, dialect, resource);
        foreach (var property in element.EnumerateObject())
        {
            var childPointer = JsonPointer.Append(pointer, property.Name);
            switch (SubschemaShape(property.Name, dialect))
            {
                case Shape.Single:
                    Scan(doc, property.Value, childPointer, baseUri, dialect, resource, depth + 1);
                    break;
                case Shape.SingleOrArray when property.Value.ValueKind != JsonValueKind.Array:
                    Scan(doc, property.Value, childPointer, baseUri, dialect, resource, depth + 1);
                    break;
                case Shape.Array or Shape.SingleOrArray when property.Value.ValueKind == JsonValueKind.Array:
                    var i = 0;
                    foreach (var item in property.Value.EnumerateArray())
                    {
                        Scan(doc, item, JsonPointer.Append(childPointer, i++), baseUri, dialect, resource, depth + 1);
                    }

                    break;
                case Shape.Map when property.Value.ValueKind == JsonValueKind.Object:
                    foreach (var entry in property.Value.EnumerateObject())
                    {
                        if (entry.Value.ValueKind is JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False)
                        {
                            Scan(doc, entry.Value, JsonPointer.Append(childPointer, entry.Name), baseUri, dialect, resource, depth + 1);
                        }
                    }

                    break;
            }
        }
    }

    private enum Shape
    {
        None,
        Single,
        SingleOrArray,
        Array,
        Map,
    }

    private static Shape SubschemaShape(string keyword, Dialect dialect)
    {
        var modern = dialect.Draft == JsonSchemaDraft.Draft202012;
        return keyword switch
        {
            "additionalProperties" or "propertyNames" or "not" or "if" or "then" or "else" or "contains" => Shape.Single,
            "unevaluatedItems" or "unevaluatedProperties" or "contentSchema" when modern => Shape.Single,
            "items" => modern ? Shape.Single : Shape.SingleOrArray,
            "additionalItems" when !modern => Shape.Single,
            "allOf" or "anyOf" or "oneOf" => Shape.Array,
            "prefixItems" when modern => Shape.Array,
            "properties" or "patternProperties" or "definitions" => Shape.Map,
            "$defs" or "dependentSchemas" when modern => Shape.Map,
            "dependencies" => Shape.Map,
            _ => Shape.None,
        };
    }

    private SchemaNode GetNode(SchemaDocument doc, string pointer)
    {
        if (_nodes.TryGetValue((doc, pointer), out var existing))
        {
            return existing;
        }

        if (!doc.Locations.TryGetValue(pointer, out var info))
        {
            // Not a place the scan knew to be a schema (e.g. a $ref into an unknown keyword): scan it now,
            // inheriting the base URI and dialect of the nearest enclosing schema.
            var ancestor = pointer;
            LocationInfo? parent = null;
            while (parent is null)
            {
                var slash = ancestor.LastIndexOf('/');
                ancestor = slash <= 0 ? string.Empty : ancestor[..slash];
                doc.Locations.TryGetValue(ancestor, out parent);
                if (ancestor.Length == 0 && parent is null)
                {
                    parent = new LocationInfo(doc.Uri, Dialect.Draft202012, new SchemaResource(doc.Uri, doc, string.Empty));
                }
            }

            JsonPointer.TryNavigate(doc.Root, pointer, out var element);
            Scan(doc, element, pointer, parent.BaseUri, parent.Dialect, parent.Resource, 0);
            if (!doc.Locations.TryGetValue(pointer, out info))
            {
                info = parent;
            }
        }

        var node = new SchemaNode(info.Resource, doc.Display(pointer)) { FalseKeyword = FalseKeywordFor(pointer) };
        _nodes[(doc, pointer)] = node;
        _pending.Enqueue((node, doc, pointer, info));
        if (!info.Resource.AnchorsCompiled)
        {
            // Dynamic anchors must be compiled with their resource: a $dynamicRef may land on them at run time.
            info.Resource.AnchorsCompiled = true;
            foreach (var (name, anchorPointer) in info.Resource.DynamicAnchorPointers.ToList())
            {
                info.Resource.DynamicAnchors[name] = GetNode(info.Resource.Document, anchorPointer);
            }
        }

        return node;
    }

    private static string FalseKeywordFor(string pointer)
    {
        if (pointer.Length == 0)
        {
            return "false";
        }

        var tokens = pointer.Split('/');
        var last = tokens[^1];
        var parent = tokens.Length >= 3 ? tokens[^2] : null;
        if (parent is "properties" or "patternProperties" or "$defs" or "definitions" or "dependentSchemas" or "dependencies")
        {
            return parent;
        }

        if (parent is "allOf" or "anyOf" or "oneOf" or "prefixItems" or "items" && last.All(char.IsAsciiDigit))
        {
            return parent;
        }

        return last.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
    }

    private void AddError(SchemaDocument doc, string pointer, string keyword, string message) =>
        _errors.Add(new SchemaError(doc.DisplayPrefix.Length == 0 ? pointer : doc.Display(pointer), keyword, doc.Display(pointer), message));

    private void CompileNode(SchemaNode node, SchemaDocument doc, string pointer, LocationInfo info)
    {
        if (!JsonPointer.TryNavigate(doc.Root, pointer, out var element))
        {
            node.Boolean = true;
            return;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.True:
                node.Boolean = true;
                return;
            case JsonValueKind.False:
                node.Boolean = false;
                return;
            case JsonValueKind.Object:
                break;
            default:
                AddError(doc, pointer, node.FalseKeyword, "a schema must be an object or a boolean");
                node.Boolean = true;
                return;
        }

        var keywords = new List<Keyword>();
        var late = new List<Keyword>();
        var context = new NodeContext(doc, pointer, info, element);
        if (info.Dialect.Draft == JsonSchemaDraft.Draft7 && element.TryGetProperty("$ref", out var onlyRef))
        {
            // Draft-07: "All other properties in a "$ref" object MUST be ignored."
            CompileKeyword(context, "$ref", onlyRef, keywords, late);
        }
        else
        {
            foreach (var property in element.EnumerateObject())
            {
                CompileKeyword(context, property.Name, property.Value, keywords, late);
            }
        }

        node.NeedsAnnotations = late.Count > 0;
        keywords.AddRange(late);
        node.Keywords = [.. keywords];
    }

    private readonly record struct NodeContext(SchemaDocument Doc, string Pointer, LocationInfo Info, JsonElement Element)
    {
        public string PathOf(string keyword) => Doc.Display(JsonPointer.Append(Pointer, keyword));

        public string PointerOf(string keyword) => JsonPointer.Append(Pointer, keyword);

        public bool Modern => Info.Dialect.Draft == JsonSchemaDraft.Draft202012;
    }

    private void CompileKeyword(NodeContext c, string name, JsonElement value, List<Keyword> keywords, List<Keyword> late)
    {
        var dialect = c.Info.Dialect;
        if ((!dialect.Validation && ValidationKeywords.Contains(name)) || (!dialect.Applicator && ApplicatorKeywords.Contains(name)))
        {
            return;
        }

        var path = c.PathOf(name);
        var keywordPointer = c.PointerOf(name);
        switch (name)
        {
            case "$ref":
                {
                    var keyword = new RefKeyword("$ref", path) { Target = ResolveReference(c, name, value, out _) };
                    keywords.Add(keyword);
                    break;
                }

            case "$dynamicRef" when c.Modern:
                {
                    var target = ResolveReference(c, name, value, out var location);
                    string? anchor = null;
                    if (location is var (doc, targetPointer) && value.ValueKind == JsonValueKind.String)
                    {
                        var fragment = UriUtil.Split(value.GetString()!).Fragment;
                        // Dynamic only when the initially resolved schema itself declares the same $dynamicAnchor.
                        if (fragment.Length > 0 && !fragment.StartsWith('/') &&
                            JsonPointer.TryNavigate(doc.Root, targetPointer, out var targetElement) &&
                            targetElement.ValueKind == JsonValueKind.Object &&
                            targetElement.TryGetProperty("$dynamicAnchor", out var da) && da.ValueKind == JsonValueKind.String && da.GetString() == fragment)
                        {
                            anchor = fragment;
                        }
                    }

                    keywords.Add(new DynamicRefKeyword(path, anchor) { Target = target });
                    break;
                }

            case "type":
                {
                    var types = JsonTypes.None;
                    var ok = true;
                    if (value.ValueKind == JsonValueKind.String)
                    {
                        ok = AddType(value.GetString()!, ref types);
                    }
                    else if (value.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var t in value.EnumerateArray())
                        {
                            ok &= t.ValueKind == JsonValueKind.String && AddType(t.GetString()!, ref types);
                        }
                    }
                    else
                    {
                        ok = false;
                    }

                    if (!ok)
                    {
                        AddError(c.Doc, keywordPointer, name, "type must be one of \"array\", \"boolean\", \"integer\", \"null\", \"number\", \"object\", \"string\", or an array of them");
                    }
                    else if (types != JsonTypes.None)
                    {
                        keywords.Add(new TypeKeyword(path, types));
                    }
                    else
                    {
                        keywords.Add(new TypeKeyword(path, JsonTypes.None));
                    }

                    break;
                }

            case "enum":
                if (value.ValueKind != JsonValueKind.Array)
                {
                    AddError(c.Doc, keywordPointer, name, "enum must be an array");
                }
                else
                {
                    keywords.Add(new EnumKeyword(path, [.. value.EnumerateArray()]));
                }

                break;
            case "const":
                keywords.Add(new ConstKeyword(path, value));
                break;
            case "multipleOf":
                if (value.ValueKind != JsonValueKind.Number || ExactNumber.FromElement(value).CompareTo(default) <= 0)
                {
                    AddError(c.Doc, keywordPointer, name, "multipleOf must be a number greater than 0");
                }
                else
                {
                    keywords.Add(new MultipleOfKeyword(path, value));
                }

                break;
            case "maximum" or "minimum" or "exclusiveMaximum" or "exclusiveMinimum":
                if (value.ValueKind != JsonValueKind.Number)
                {
                    AddError(c.Doc, keywordPointer, name, $"{name} must be a number");
                }
                else
                {
                    var bound = name switch
                    {
                        "maximum" => Bound.Maximum,
                        "minimum" => Bound.Minimum,
                        "exclusiveMaximum" => Bound.ExclusiveMaximum,
                        _ => Bound.ExclusiveMinimum,
                    };
                    keywords.Add(new NumberBoundKeyword(name, path, value, bound));
                }

                break;
            case "maxLength" or "minLength":
                if (NonNegativeInteger(c, name, value) is long length)
                {
                    keywords.Add(new StringLengthKeyword(name, path, length, name == "maxLength"));
                }

                break;
            case "maxItems" or "minItems" or "maxProperties" or "minProperties":
                if (NonNegativeInteger(c, name, value) is long count)
                {
                    keywords.Add(new CountKeyword(name, path, count, name.StartsWith("max", StringComparison.Ordinal), name.EndsWith("Items", StringComparison.Ordinal)));
                }

                break;
            case "pattern":
                if (CompilePattern(c, keywordPointer, name, value) is { } regex)
                {
                    keywords.Add(new PatternKeyword(path, value.GetString()!, regex));
                }

                break;
            case "uniqueItems":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    AddError(c.Doc, keywordPointer, name, "uniqueItems must be a boolean");
                }
                else if (value.ValueKind == JsonValueKind.True)
                {
                    keywords.Add(new UniqueItemsKeyword(path));
                }

                break;
            case "required":
                if (StringArray(c, keywordPointer, name, value) is { } required)
                {
                    keywords.Add(new RequiredKeyword(path, required));
                }

                break;
            case "dependentRequired" when c.Modern:
                if (value.ValueKind != JsonValueKind.Object)
                {
                    AddError(c.Doc, keywordPointer, name, "dependentRequired must be an object");
                }
                else
                {
                    var list = new List<(string, string[])>();
                    foreach (var p in value.EnumerateObject())
                    {
                        if (StringArray(c, JsonPointer.Append(keywordPointer, p.Name), name, p.Value) is { } names)
                        {
                            list.Add((p.Name, names));
                        }
                    }

                    keywords.Add(new DependentRequiredKeyword(name, path, [.. list]));
                }

                break;
            case "dependentSchemas" when c.Modern:
                if (SchemaMap(c, name, value) is { } dependentSchemas)
                {
                    keywords.Add(new DependentSchemasKeyword(name, path, [.. dependentSchemas.Select(kv => (kv.Key, kv.Value))]));
                }

                break;
            case "dependencies":
                // Draft-07's keyword; also honoured in 2020-12 for compatibility with schemas written before the split.
                if (value.ValueKind != JsonValueKind.Object)
                {
                    AddError(c.Doc, keywordPointer, name, "dependencies must be an object");
                }
                else
                {
                    var requiredList = new List<(string, string[])>();
                    var schemaList = new List<(string, SchemaNode)>();
                    foreach (var p in value.EnumerateObject())
                    {
                        if (p.Value.ValueKind == JsonValueKind.Array)
                        {
                            if (StringArray(c, JsonPointer.Append(keywordPointer, p.Name), name, p.Value) is { } names)
                            {
                                requiredList.Add((p.Name, names));
                            }
                        }
                        else
                        {
                            schemaList.Add((p.Name, GetNode(c.Doc, JsonPointer.Append(keywordPointer, p.Name))));
                        }
                    }

                    keywords.Add(new DependentRequiredKeyword(name, path, [.. requiredList]));
                    keywords.Add(new DependentSchemasKeyword(name, path, [.. schemaList]));
                }

                break;
            case "properties":
                if (SchemaMap(c, name, value) is { } properties)
                {
                    keywords.Add(new PropertiesKeyword(name, path, properties));
                }

                break;
            case "patternProperties":
                if (value.ValueKind != JsonValueKind.Object)
                {
                    AddError(c.Doc, keywordPointer, name, "patternProperties must be an object");
                }
                else
                {
                    var patterns = new List<(string, Regex, SchemaNode)>();
                    foreach (var p in value.EnumerateObject())
                    {
                        var entryPointer = JsonPointer.Append(keywordPointer, p.Name);
                        if (TryRegex(p.Name) is { } entryRegex)
                        {
                            patterns.Add((p.Name, entryRegex, GetNode(c.Doc, entryPointer)));
                        }
                        else
                        {
                            AddError(c.Doc, entryPointer, name, $"{Describe.Quote(p.Name)} is not a valid regular expression");
                        }
                    }

                    keywords.Add(new PatternPropertiesKeyword(path, [.. patterns]));
                }

                break;
            case "additionalProperties":
                {
                    var declared = new HashSet<string>(StringComparer.Ordinal);
                    if (dialect.Applicator && c.Element.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var p in props.EnumerateObject())
                        {
                            declared.Add(p.Name);
                        }
                    }

                    var regexes = new List<Regex>();
                    if (c.Element.TryGetProperty("patternProperties", out var pp) && pp.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var p in pp.EnumerateObject())
                        {
                            if (TryRegex(p.Name) is { } extraRegex)
                            {
                                regexes.Add(extraRegex);
                            }
                        }
                    }

                    keywords.Add(new AdditionalPropertiesKeyword(path, declared, [.. regexes], GetNode(c.Doc, keywordPointer)));
                    break;
                }

            case "propertyNames":
                keywords.Add(new PropertyNamesKeyword(path, GetNode(c.Doc, keywordPointer)));
                break;
            case "allOf" or "anyOf" or "oneOf":
                if (SchemaArray(c, name, value) is { } branches)
                {
                    keywords.Add(name switch
                    {
                        "allOf" => new AllOfKeyword(path, branches),
                        "anyOf" => new AnyOfKeyword(path, branches),
                        _ => new OneOfKeyword(path, branches),
                    });
                }

                break;
            case "not":
                keywords.Add(new NotKeyword(path, GetNode(c.Doc, keywordPointer)));
                break;
            case "if":
                {
                    var then = c.Element.TryGetProperty("then", out _) ? GetNode(c.Doc, c.PointerOf("then")) : null;
                    var otherwise = c.Element.TryGetProperty("else", out _) ? GetNode(c.Doc, c.PointerOf("else")) : null;
                    keywords.Add(new IfThenElseKeyword(path, GetNode(c.Doc, keywordPointer), then, otherwise));
                    break;
                }

            case "contains":
                {
                    long min = 1;
                    long? max = null;
                    var minExplicit = false;
                    if (c.Modern && dialect.Validation)
                    {
                        if (c.Element.TryGetProperty("minContains", out var minValue) && NonNegativeInteger(c, "minContains", minValue) is long mn)
                        {
                            min = mn;
                            minExplicit = true;
                        }

                        if (c.Element.TryGetProperty("maxContains", out var maxValue) && NonNegativeInteger(c, "maxContains", maxValue) is long mx)
                        {
                            max = mx;
                        }
                    }

                    keywords.Add(new ContainsKeyword(path, GetNode(c.Doc, keywordPointer), min, max, c.PathOf("minContains"), c.PathOf("maxContains"), minExplicit));
                    break;
                }

            case "prefixItems" when c.Modern:
                if (SchemaArray(c, name, value, allowEmpty: false) is { } prefix)
                {
                    keywords.Add(new PrefixItemsKeyword(name, path, prefix));
                }

                break;
            case "items":
                if (c.Modern)
                {
                    if (value.ValueKind == JsonValueKind.Array)
                    {
                        AddError(c.Doc, keywordPointer, name, "items must be a schema in draft 2020-12 (use prefixItems for a list of schemas)");
                        break;
                    }

                    var start = c.Element.TryGetProperty("prefixItems", out var prefixItems) && prefixItems.ValueKind == JsonValueKind.Array ? prefixItems.GetArrayLength() : 0;
                    keywords.Add(new ItemsKeyword(name, path, start, GetNode(c.Doc, keywordPointer)));
                }
                else if (value.ValueKind == JsonValueKind.Array)
                {
                    if (SchemaArray(c, name, value, allowEmpty: true) is { } tuple)
                    {
                        keywords.Add(new PrefixItemsKeyword(name, path, tuple));
                    }
                }
                else
                {
                    keywords.Add(new ItemsKeyword(name, path, 0, GetNode(c.Doc, keywordPointer)));
                }

                break;
            case "additionalItems" when !c.Modern:
                if (c.Element.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
                {
                    keywords.Add(new ItemsKeyword(name, path, items.GetArrayLength(), GetNode(c.Doc, keywordPointer)));
                }

                break;
            case "unevaluatedProperties" when c.Modern && dialect.Unevaluated:
                late.Add(new UnevaluatedPropertiesKeyword(path, GetNode(c.Doc, keywordPointer)));
                break;
            case "unevaluatedItems" when c.Modern && dialect.Unevaluated:
                late.Add(new UnevaluatedItemsKeyword(path, GetNode(c.Doc, keywordPointer)));
                break;
            case "format":
                if (value.ValueKind == JsonValueKind.String && (_options.FormatAssertion || dialect.FormatAssertion) && Formats.IsKnown(value.GetString()!))
                {
                    keywords.Add(new FormatKeyword(path, value.GetString()!));
                }

                break;
            case "contentEncoding" or "contentMediaType" when !c.Modern && value.ValueKind == JsonValueKind.String:
                // Draft-07 lets validators assert content; 2020-12 made it annotation-only.
                if (ContentKeyword.Create(name, path, c.Element) is { } content)
                {
                    keywords.Add(content);
                }

                break;
            case "$id" or "$anchor" or "$dynamicAnchor" when value.ValueKind != JsonValueKind.String:
                AddError(c.Doc, keywordPointer, name, $"{name} must be a string");
                break;
            default:
                break; // annotations ($comment, title, default, …) and unknown keywords have no effect on validity
        }
    }

    private SchemaNode ResolveReference(NodeContext c, string keyword, JsonElement value, out (SchemaDocument Doc, string Pointer)? location)
    {
        location = null;
        var keywordPointer = c.PointerOf(keyword);
        if (value.ValueKind != JsonValueKind.String)
        {
            AddError(c.Doc, keywordPointer, keyword, $"{keyword} must be a string");
            return AlwaysValid(c.Info);
        }

        var reference = value.GetString()!;
        var (absolute, fragment) = UriUtil.Split(UriUtil.Resolve(c.Info.BaseUri, reference));
        if (!_resources.TryGetValue(absolute, out var resource))
        {
            if (!TryLoadExternal(absolute, c.Info.Dialect) || !_resources.TryGetValue(absolute, out resource))
            {
                AddError(c.Doc, keywordPointer, keyword, $"cannot resolve {keyword} {Describe.Quote(reference)}: no schema is known at {Describe.Quote(absolute)} (remote schemas resolve only through JsonSchemaOptions.Registry)");
                return AlwaysValid(c.Info);
            }
        }

        (SchemaDocument Doc, string Pointer) target;
        if (fragment.Length == 0)
        {
            target = resource;
        }
        else if (fragment.StartsWith('/'))
        {
            var pointer = resource.Pointer + JsonPointer.FromFragment(fragment);
            if (!JsonPointer.TryNavigate(resource.Doc.Root, pointer, out _))
            {
                var document = absolute == DefaultBaseUri ? "the schema" : Describe.Quote(absolute);
                AddError(c.Doc, keywordPointer, keyword, $"cannot resolve {keyword} {Describe.Quote(reference)}: {document} has nothing at {Describe.Quote(JsonPointer.FromFragment(fragment))}");
                return AlwaysValid(c.Info);
            }

            target = (resource.Doc, pointer);
        }
        else if (!_anchors.TryGetValue(absolute + "#" + fragment, out target))
        {
            var document = absolute == DefaultBaseUri ? "the schema" : Describe.Quote(absolute);
            AddError(c.Doc, keywordPointer, keyword, $"cannot resolve {keyword} {Describe.Quote(reference)}: {document} declares no anchor {Describe.Quote(fragment)}");
            return AlwaysValid(c.Info);
        }

        location = target;
        return GetNode(target.Doc, target.Pointer);
    }

    /// <summary>Stand-in target after a reported error, so evaluation code never sees null.</summary>
    private static SchemaNode AlwaysValid(LocationInfo info) => new(info.Resource, "#") { Boolean = true };

    private static bool AddType(string name, ref JsonTypes types)
    {
        var flag = name switch
        {
            "null" => JsonTypes.Null,
            "boolean" => JsonTypes.Boolean,
            "object" => JsonTypes.Object,
            "array" => JsonTypes.Array,
            "number" => JsonTypes.Number,
            "string" => JsonTypes.String,
            "integer" => JsonTypes.Integer,
            _ => JsonTypes.None,
        };
        types |= flag;
        return flag != JsonTypes.None;
    }

    private long? NonNegativeInteger(NodeContext c, string name, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetInt64(out var n) && n >= 0)
            {
                return n;
            }

            var exact = ExactNumber.FromElement(value);
            if (exact.IsInteger && !exact.Negative)
            {
                // 1.0 is an integer; absurdly large limits saturate.
                return exact.Exponent > 18 || !long.TryParse((exact.Significand * System.Numerics.BigInteger.Pow(10, (int)exact.Exponent)).ToString(CultureInfo.InvariantCulture), NumberStyles.None, CultureInfo.InvariantCulture, out var big) ? long.MaxValue : big;
            }
        }

        AddError(c.Doc, c.PointerOf(name), name, $"{name} must be a non-negative integer");
        return null;
    }

    private string[]? StringArray(NodeContext c, string pointer, string name, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String))
        {
            return [.. value.EnumerateArray().Select(v => v.GetString()!)];
        }

        AddError(c.Doc, pointer, name, $"{name} must be an array of strings");
        return null;
    }

    private Dictionary<string, SchemaNode>? SchemaMap(NodeContext c, string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            AddError(c.Doc, c.PointerOf(name), name, $"{name} must be an object whose values are schemas");
            return null;
        }

        var map = new Dictionary<string, SchemaNode>(StringComparer.Ordinal);
        foreach (var p in value.EnumerateObject())
        {
            map[p.Name] = GetNode(c.Doc, JsonPointer.Append(c.PointerOf(name), p.Name));
        }

        return map;
    }

    private SchemaNode[]? SchemaArray(NodeContext c, string name, JsonElement value, bool allowEmpty = false)
    {
        if (value.ValueKind != JsonValueKind.Array || (!allowEmpty && value.GetArrayLength() == 0))
        {
            AddError(c.Doc, c.PointerOf(name), name, $"{name} must be a non-empty array of schemas");
            return null;
        }

        var nodes = new SchemaNode[value.GetArrayLength()];
        for (var i = 0; i < nodes.Length; i++)
        {
            nodes[i] = GetNode(c.Doc, JsonPointer.Append(c.PointerOf(name), i));
        }

        return nodes;
    }

    private Regex? CompilePattern(NodeContext c, string pointer, string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            AddError(c.Doc, pointer, name, $"{name} must be a string");
            return null;
        }

        var regex = TryRegex(value.GetString()!);
        if (regex is null)
        {
            AddError(c.Doc, pointer, name, $"{Describe.Quote(value.GetString()!)} is not a valid ECMA-262 regular expression");
        }

        return regex;
    }

    private Regex? TryRegex(string pattern) => EcmaRegex.TryCreate(pattern, _options.RegexMatchTimeout);
}
