using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agentry.Server.Tests.Infrastructure;

namespace Agentry.Server.Tests.Schemas;

/// <summary>
/// The official JSON-Schema-Test-Suite once more, through <c>POST /v1/schemas/validate</c> as a user calls it: the
/// remotes go in <c>documents</c>, and draft-07 schemas say so with <c>$schema</c> (the endpoint's default is
/// 2020-12). The library's own test project runs the same suite directly.
/// </summary>
public sealed class SchemaSuiteThroughApiTests(UnlimitedServerFactory server) : IClassFixture<UnlimitedServerFactory>
{
    private static readonly Dictionary<string, string> DraftUris = new()
    {
        ["draft2020-12"] = "https://json-schema.org/draft/2020-12/schema",
        ["draft7"] = "http://json-schema.org/draft-07/schema#",
    };

    /// <summary>The formats the issue asks to assert, whose optional suite files must pass with assertion on.</summary>
    private static readonly string[] AssertedFormats =
        ["date-time", "date", "time", "email", "uri", "uri-reference", "uuid", "ipv4", "ipv6", "hostname", "regex", "duration"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("draft2020-12")]
    [InlineData("draft7")]
    public async Task Validate_EveryRequiredSuiteTest_AnswersTheExpectedValidity(string draft)
    {
        var files = Directory.EnumerateFiles(Path.Combine(SuiteRoot, "tests", draft), "*.json").Order(StringComparer.Ordinal);

        var failures = await RunAsync(draft, files, formatAssertion: false);

        failures.ShouldBeEmpty($"{failures.Count} failures, the first: " + string.Join("\n", failures.Take(20)));
    }

    [Theory]
    [InlineData("draft2020-12")]
    [InlineData("draft7")]
    public async Task Validate_OptionalFormatTestsWithAssertionOn_AnswerTheExpectedValidity(string draft)
    {
        var files = AssertedFormats
            .Select(format => Path.Combine(SuiteRoot, "tests", draft, "optional", "format", format + ".json"))
            .Where(File.Exists);

        var failures = await RunAsync(draft, files, formatAssertion: true);

        failures.ShouldBeEmpty($"{failures.Count} failures, the first: " + string.Join("\n", failures.Take(20)));
    }

    private async Task<List<string>> RunAsync(string draft, IEnumerable<string> files, bool formatAssertion)
    {
        using var client = server.CreateAdminClient();
        var failures = new List<string>();
        var ran = 0;
        foreach (var file in files)
        {
            var groups = JsonNode.Parse(await File.ReadAllTextAsync(file, Ct))!.AsArray();
            foreach (var group in groups)
            {
                var schema = WithDraft(group!["schema"]!.DeepClone(), draft);
                foreach (var test in group["tests"]!.AsArray())
                {
                    var body = new JsonObject
                    {
                        ["schema"] = schema.DeepClone(),
                        ["instance"] = test!["data"]?.DeepClone(),
                        ["formatAssertion"] = formatAssertion,
                        ["documents"] = Remotes.DeepClone(),
                    };
                    using var response = await client.PostAsJsonAsync("/v1/schemas/validate", body, Ct);
                    var where = $"{Path.GetFileName(file)}: {group["description"]} / {test["description"]}";
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        failures.Add($"{where}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
                        continue;
                    }

                    var answer = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
                    if (answer.GetProperty("valid").GetBoolean() != test["valid"]!.GetValue<bool>())
                    {
                        failures.Add($"{where}: expected valid={test["valid"]}, got {answer}");
                    }

                    ran++;
                }
            }
        }

        ran.ShouldBeGreaterThan(0);
        return failures;
    }

    /// <summary>Says which draft a schema is written in, as a user of the API must for draft-07.</summary>
    private static JsonNode WithDraft(JsonNode schema, string draft)
    {
        if (schema is JsonObject obj && !obj.ContainsKey("$schema"))
        {
            var copy = new JsonObject { ["$schema"] = DraftUris[draft] };
            foreach (var (key, value) in obj)
            {
                copy[key] = value?.DeepClone();
            }

            return copy;
        }

        return schema;
    }

    private static readonly Lazy<JsonObject> RemotesValue = new(() =>
    {
        var remotes = Path.Combine(SuiteRoot, "remotes");
        var documents = new JsonObject();
        foreach (var file in Directory.EnumerateFiles(remotes, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            documents["http://localhost:1234/" + Path.GetRelativePath(remotes, file).Replace('\\', '/')] = JsonNode.Parse(File.ReadAllText(file));
        }

        return documents;
    });

    private static JsonObject Remotes => RemotesValue.Value;

    private static string SuiteRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Agentry.slnx")))
            {
                dir = dir.Parent;
            }

            return Path.GetFullPath(Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Agentry.slnx not found"), "..", "shared", "json-schema-test-suite"));
        }
    }
}

/// <summary>A server without the per-key rate limit: the suite sends thousands of requests with one key.</summary>
public sealed class UnlimitedServerFactory() : AgentryServerFactory(new Dictionary<string, string?> { ["Agentry:RateLimit:RequestsPerSecond"] = "0" });
