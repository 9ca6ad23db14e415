using System.Text.Json;
using Agentry.Server.OpenApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace Agentry.Server.Tests.OpenApi;

/// <summary>A multipart upload described with <see cref="ApiDocumentation.AcceptsForm{TForm}"/>, on a host of its own (the API has none yet).</summary>
public sealed class AcceptsFormTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AcceptsForm_Upload_IsMultipartWithAFileFieldAndItsProblems()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddAgentryOpenApi();
        await using var app = builder.Build();
        app.MapPost("/v1/uploads", static (HttpRequest request) => TypedResults.Created())
            .WithName("Upload").WithSummary("Upload a file").WithTags("Uploads")
            .AcceptsForm<UploadForm>("The file and where it goes.")
            .AllowAnonymous();
        app.MapOpenApi();
        await app.StartAsync(Ct);
        using var client = app.GetTestClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json", Ct));

        var operation = document.RootElement.GetProperty("paths").GetProperty("/v1/uploads").GetProperty("post");
        var body = operation.GetProperty("requestBody");
        body.GetProperty("description").GetString().ShouldBe("The file and where it goes.");
        var schema = body.GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema");
        var properties = Resolve(document.RootElement, schema).GetProperty("properties");
        Resolve(document.RootElement, properties.GetProperty("file")).GetProperty("format").GetString().ShouldBe("binary");
        properties.GetProperty("path").GetProperty("type").ToString().ShouldContain("string");
        operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ShouldBe(["201", "400", "413", "415", "500"], ignoreOrder: true);
        await app.StopAsync(Ct);
    }

    private static JsonElement Resolve(JsonElement root, JsonElement schema)
    {
        if (!schema.TryGetProperty("$ref", out var reference))
        {
            return schema;
        }

        var id = reference.GetString()!.Split('/')[^1];
        return root.GetProperty("components").GetProperty("schemas").GetProperty(id);
    }

    /// <summary>The form of the test upload.</summary>
    public sealed record UploadForm(string Path, IFormFile File);
}
