using System.Net;
using System.Net.Http.Json;
using Agentry.Server.Tests.Infrastructure;

namespace Agentry.Server.Tests;

public sealed class SchemaTests(AgentryServerFactory server) : IClassFixture<AgentryServerFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly object Schema = new { type = "object", properties = new { age = new { type = "integer", minimum = 0 } }, required = new[] { "age" } };

    [Fact]
    public async Task SchemaValidate_ValidInstance_AnswersValid()
    {
        using var client = server.CreateAdminClient();
        var result = await client.PostJsonAsync("/v1/schemas/validate", new { schema = Schema, instance = new { age = 3 } }, HttpStatusCode.OK);
        result.GetProperty("valid").GetBoolean().ShouldBeTrue();
        result.GetProperty("errors").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task SchemaValidate_InvalidInstance_AnswersErrorsWithPaths()
    {
        using var client = server.CreateAdminClient();
        var result = await client.PostJsonAsync("/v1/schemas/validate", new { schema = Schema, instance = new { age = -1 } }, HttpStatusCode.OK);
        result.GetProperty("valid").GetBoolean().ShouldBeFalse();
        var error = result.GetProperty("errors")[0];
        error.GetProperty("path").GetString().ShouldBe("/age");
        error.GetProperty("keyword").GetString().ShouldBe("minimum");
        error.GetProperty("schemaPath").GetString()!.ShouldContain("minimum");
        error.GetProperty("message").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task SchemaValidate_FormatAssertion_OnByDefaultAndCanBeTurnedOff()
    {
        using var client = server.CreateAdminClient();
        var schema = new { type = "string", format = "email" };
        var asserted = await client.PostJsonAsync("/v1/schemas/validate", new { schema, instance = "not an email" }, HttpStatusCode.OK);
        asserted.GetProperty("valid").GetBoolean().ShouldBeFalse();
        var annotated = await client.PostJsonAsync("/v1/schemas/validate", new { schema, instance = "not an email", formatAssertion = false }, HttpStatusCode.OK);
        annotated.GetProperty("valid").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task SchemaValidate_RefToSuppliedDocument_Resolves()
    {
        using var client = server.CreateAdminClient();
        var documents = new Dictionary<string, object> { ["https://example.com/positive.json"] = new { type = "integer", exclusiveMinimum = 0 } };
        var schema = new Dictionary<string, object> { ["$ref"] = "https://example.com/positive.json" };
        var ok = await client.PostJsonAsync("/v1/schemas/validate", new { schema, instance = 3, documents }, HttpStatusCode.OK);
        ok.GetProperty("valid").GetBoolean().ShouldBeTrue();
        var bad = await client.PostJsonAsync("/v1/schemas/validate", new { schema, instance = 0, documents }, HttpStatusCode.OK);
        bad.GetProperty("valid").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task SchemaValidate_NullInstance_IsValidated()
    {
        using var client = server.CreateAdminClient();
        var result = await client.PostJsonAsync("/v1/schemas/validate", new Dictionary<string, object?> { ["schema"] = new { type = "null" }, ["instance"] = null }, HttpStatusCode.OK);
        result.GetProperty("valid").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task SchemaValidate_InvalidSchema_Answers422InvalidSchema()
    {
        using var client = server.CreateAdminClient();
        using var response = await client.PostAsJsonAsync("/v1/schemas/validate", new { schema = new { type = "object", minProperties = -1 }, instance = new { } }, Ct);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_schema");
        problem.ErrorPaths().ShouldAllBe(path => path.StartsWith("/schema/minProperties"));
    }

    [Fact]
    public async Task SchemaValidate_MissingSchemaAndInstance_Answers400()
    {
        using var client = server.CreateAdminClient();
        using var response = await client.PostAsJsonAsync("/v1/schemas/validate", new { }, Ct);
        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "bad_request")).ErrorPaths().ShouldBe(["/schema", "/instance"]);
    }
}

public sealed class ModelStackTests(AgentryServerFactory server) : IClassFixture<AgentryServerFactory>
{
    [Fact]
    public async Task ModelStacks_List_IncludesOfflineStack()
    {
        using var client = server.CreateAdminClient();
        using var response = await client.GetAsync("/v1/model-stacks", TestContext.Current.CancellationToken);
        var list = await response.ShouldBeJsonAsync(HttpStatusCode.OK);
        var offline = list.GetProperty("items").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "local/offline");
        offline.GetProperty("available").GetBoolean().ShouldBeTrue();
        offline.GetProperty("provider").GetString().ShouldBe("local");
    }
}
