using Scalar.AspNetCore;

namespace Agentry.Server.OpenApi;

/// <summary>The API's description: the OpenAPI document and the interactive reference page built from it.</summary>
public static class ApiReferenceExtensions
{
    /// <summary>Where the OpenAPI document is served.</summary>
    public const string DocumentPath = "/openapi/v1.json";

    /// <summary>Where the interactive API reference is served.</summary>
    public const string ReferencePath = "/docs";

    /// <summary>Registers the OpenAPI document with the API's conventions (<see cref="ApiDocumentation"/>).</summary>
    public static IServiceCollection AddAgentryOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<ApiDocumentTransformer>();
            options.AddOperationTransformer<ApiOperationTransformer>();
            options.AddSchemaTransformer<RequestSchemaTransformer>();
        });

    /// <summary>
    /// Maps <see cref="DocumentPath"/> and the reference page at <see cref="ReferencePath"/>, both without a key: they
    /// describe the API, not an organization's data, and a browser cannot send a key when it opens a page. The page's
    /// script and styles are served by this server (the package embeds them), and it loads no fonts, telemetry,
    /// assistant or hosted developer tools from elsewhere, so it works with no internet access.
    /// </summary>
    public static IEndpointRouteBuilder MapAgentryApiReference(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(DocumentPath).AllowAnonymous();
        app.MapScalarApiReference(ReferencePath, options => options
                .WithTitle("Agentry API")
                .WithOpenApiRoutePattern(DocumentPath)
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp()
                .HideDeveloperTools()
                .AddPreferredSecuritySchemes(ApiDocumentTransformer.ApiKeyScheme))
            .AllowAnonymous();
        return app;
    }
}
