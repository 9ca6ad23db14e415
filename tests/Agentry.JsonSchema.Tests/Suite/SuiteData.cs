using System.Text.Json;

namespace Agentry.JsonSchema.Tests.Suite;

/// <summary>One test of the official JSON-Schema-Test-Suite.</summary>
public sealed record SuiteCase(string Draft, string File, int Group, int Test, string GroupDescription, string TestDescription, JsonElement Schema, JsonElement Data, bool Valid)
{
    /// <summary>Stable identifier, also the key of <see cref="SuiteExceptions"/>.</summary>
    public string Id => $"{Draft}/{File}: {GroupDescription} / {TestDescription}";

    public bool FormatAssertion => File.StartsWith("optional/format/", StringComparison.Ordinal);
}

/// <summary>Loads the suite from ../shared/json-schema-test-suite, next to the folder that holds Agentry.slnx.</summary>
public static class SuiteData
{
    public static readonly string[] Drafts = ["draft2020-12", "draft7"];

    private static readonly Lazy<string> Root = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Agentry.slnx")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new InvalidOperationException("Could not find Agentry.slnx above " + AppContext.BaseDirectory);
        }

        var suite = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "json-schema-test-suite"));
        return Directory.Exists(suite) ? suite : throw new InvalidOperationException("JSON-Schema-Test-Suite not found at " + suite);
    });

    private static readonly Lazy<JsonSchemaRegistry> RemotesRegistry = new(() =>
    {
        var registry = new JsonSchemaRegistry();
        var remotes = Path.Combine(Root.Value, "remotes");
        foreach (var file in Directory.EnumerateFiles(remotes, "*.json", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(remotes, file).Replace('\\', '/');
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            registry.Add("http://localhost:1234/" + relative, doc.RootElement);
        }

        return registry;
    });

    private static readonly Lazy<IReadOnlyList<SuiteCase>> AllCases = new(Load);

    public static JsonSchemaRegistry Remotes => RemotesRegistry.Value;

    public static IReadOnlyList<SuiteCase> Cases => AllCases.Value;

    public static JsonSchemaOptions OptionsFor(SuiteCase c) => new()
    {
        Registry = Remotes,
        DefaultDraft = c.Draft == "draft7" ? JsonSchemaDraft.Draft7 : JsonSchemaDraft.Draft202012,
        FormatAssertion = c.FormatAssertion,
    };

    private static List<SuiteCase> Load()
    {
        var cases = new List<SuiteCase>();
        foreach (var draft in Drafts)
        {
            var dir = Path.Combine(Root.Value, "tests", draft);
            foreach (var file in Directory.EnumerateFiles(dir, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(dir, file).Replace('\\', '/');
                using var doc = JsonDocument.Parse(File.ReadAllText(file));
                var g = 0;
                foreach (var group in doc.RootElement.EnumerateArray())
                {
                    var t = 0;
                    foreach (var test in group.GetProperty("tests").EnumerateArray())
                    {
                        cases.Add(new SuiteCase(
                            draft,
                            relative,
                            g,
                            t,
                            group.GetProperty("description").GetString()!,
                            test.GetProperty("description").GetString()!,
                            group.GetProperty("schema").Clone(),
                            test.GetProperty("data").Clone(),
                            test.GetProperty("valid").GetBoolean()));
                        t++;
                    }

                    g++;
                }
            }
        }

        return cases;
    }

    /// <summary>Runs one case: null when it passes, otherwise what went wrong.</summary>
    public static string? Run(SuiteCase c)
    {
        try
        {
            var schema = JsonSchemaCompiler.Compile(c.Schema, OptionsFor(c));
            var result = schema.Validate(c.Data);
            if (result.IsValid != schema.IsValid(c.Data))
            {
                return "Validate and IsValid disagree";
            }

            return result.IsValid == c.Valid
                ? null
                : $"expected {(c.Valid ? "valid" : "invalid")}, got {(result.IsValid ? "valid" : "invalid: " + string.Join("; ", result.Errors))}";
        }
        catch (InvalidJsonSchemaException ex)
        {
            return "schema rejected: " + ex.Message;
        }
    }
}
