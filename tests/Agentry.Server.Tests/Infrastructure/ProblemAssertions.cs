using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Agentry.Server.Tests.Infrastructure;

/// <summary>Checks that an answer is the API's problem (API.md, Errors).</summary>
public static class ProblemAssertions
{
    /// <summary>Asserts status, content type and every required field; answers the problem for further checks.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        problem.GetProperty("type").GetString().ShouldBe("/problems/" + code);
        problem.GetProperty("title").GetString().ShouldNotBeNullOrEmpty();
        problem.GetProperty("status").GetInt32().ShouldBe((int)status);
        problem.GetProperty("error").GetString().ShouldBe(code);
        problem.GetProperty("message").GetString().ShouldNotBeNullOrEmpty();
        problem.GetProperty("statusCode").GetInt32().ShouldBe((int)status);
        problem.GetProperty("errors").ValueKind.ShouldBe(JsonValueKind.Array);
        text.ShouldNotContain("   at ", customMessage: "a problem never carries a stack trace");
        return problem;
    }

    /// <summary>The <c>path</c> of every item of <c>errors</c>.</summary>
    public static List<string> ErrorPaths(this JsonElement problem) =>
        problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()!).ToList();

    /// <summary>Reads a JSON answer after checking its status.</summary>
    public static async Task<JsonElement> ShouldBeJsonAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Posts JSON and reads the JSON answer after checking its status.</summary>
    public static async Task<JsonElement> PostJsonAsync(this HttpClient client, string path, object body, HttpStatusCode status)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        return await response.ShouldBeJsonAsync(status);
    }
}
