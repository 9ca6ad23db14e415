using System.Net;
using System.Text.RegularExpressions;
using Agentry.Server.Tests.Infrastructure;

namespace Agentry.Server.Tests.OpenApi;

/// <summary>The interactive API reference at <c>/docs</c>: served without a key, with every asset from this server.</summary>
public sealed partial class ApiReferenceTests(AgentryServerFactory server) : IClassFixture<AgentryServerFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Docs_WithoutKey_AnswersHtmlThatLoadsTheDocument()
    {
        using var client = server.CreateClient();
        using var response = await client.GetAsync("/docs/", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/html");
        html.ShouldContain("<title>Agentry API</title>");
        html.ShouldContain("\"url\":\"openapi/v1.json\"");
    }

    [Fact]
    public async Task Docs_WithoutTrailingSlash_RedirectsToThePage()
    {
        using var client = server.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var response = await client.GetAsync("/docs", Ct);

        ((int)response.StatusCode).ShouldBeInRange(301, 308);
        response.Headers.Location?.OriginalString.TrimStart('/').ShouldBe("docs/");
    }

    [Fact]
    public async Task Docs_EveryAssetItReferences_IsServedByThisServer()
    {
        using var client = server.CreateClient();
        var html = await client.GetStringAsync("/docs/", Ct);
        var assets = AssetReference().Matches(html).Select(m => m.Groups["path"].Value).Distinct(StringComparer.Ordinal).ToList();

        assets.ShouldContain("scalar.js");
        assets.ShouldContain("scalar.aspnetcore.js");
        foreach (var asset in assets)
        {
            using var response = await client.GetAsync("/docs/" + asset, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, asset);
            (await response.Content.ReadAsByteArrayAsync(Ct)).Length.ShouldBeGreaterThan(0, asset);
        }
    }

    [Fact]
    public async Task Docs_Page_ReferencesNothingOutsideThisServer()
    {
        using var client = server.CreateClient();
        var html = await client.GetStringAsync("/docs/", Ct);

        html.ShouldNotContain("http://");
        html.ShouldNotContain("https://");
        // The bundle fetches its fonts from a CDN and reports telemetry unless told not to.
        html.ShouldContain("\"withDefaultFonts\":false");
        html.ShouldContain("\"telemetry\":false");
    }

    /// <summary>Relative script sources, module imports and the favicon of the page.</summary>
    [GeneratedRegex("""(?:src="|from '\./|"favicon":")(?<path>[A-Za-z0-9_.\-]+\.(?:js|css|svg|png|ico))""")]
    private static partial Regex AssetReference();
}
