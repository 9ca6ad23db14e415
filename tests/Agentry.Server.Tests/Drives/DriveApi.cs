using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Agentry.Server.Tests.Infrastructure;
using Agentry.Server.Tests.Runs;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Agentry.Server.Tests.Drives;

/// <summary>Small helpers over the drives API.</summary>
public static class DriveApi
{
    public static async Task<string> CreateDriveAsync(this HttpClient client, string name = "Docs")
    {
        var created = await client.PostJsonAsync("/v1/drives", new { name }, HttpStatusCode.Created);
        return created.Id();
    }

    /// <summary>Uploads <paramref name="content"/> as the form's <c>file</c> part, with the given fields; answers the raw response.</summary>
    public static async Task<HttpResponseMessage> UploadAsync(
        this HttpClient client, string driveId, string? path, byte[]? content, string fileName = "file.txt", string? contentType = null, IReadOnlyDictionary<string, string>? fields = null)
    {
        using var form = new MultipartFormDataContent();
        if (path is not null)
        {
            form.Add(new StringContent(path), "path");
        }

        foreach (var (name, value) in fields ?? new Dictionary<string, string>())
        {
            form.Add(new StringContent(value), name);
        }

        if (content is not null)
        {
            var file = new ByteArrayContent(content);
            file.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/octet-stream");
            form.Add(file, "file", fileName);
        }

        return await client.PostAsync($"/v1/drives/{driveId}/items", form);
    }

    /// <summary>Uploads and answers the created item (201 checked).</summary>
    public static async Task<JsonElement> UploadItemAsync(this HttpClient client, string driveId, string path, byte[] content, string? contentType = null, IReadOnlyDictionary<string, string>? fields = null)
    {
        using var response = await client.UploadAsync(driveId, path, content, Path.GetFileName(path), contentType, fields);
        return await response.ShouldBeJsonAsync(HttpStatusCode.Created);
    }

    public static Task<JsonElement> UploadTextAsync(this HttpClient client, string driveId, string path, string text, string? contentType = null) =>
        client.UploadItemAsync(driveId, path, Encoding.UTF8.GetBytes(text), contentType);

    /// <summary>Polls the item until it has left <c>processing</c> (failing the test if it does not within a minute).</summary>
    public static async Task<JsonElement> WaitForIndexedAsync(this HttpClient client, string driveId, string itemId)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var item = await client.GetFromJsonElementAsync($"/v1/drives/{driveId}/items/{itemId}");
            if (item.GetProperty("status").GetString() != "processing")
            {
                return item;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, $"item {itemId} was never indexed");
            await Task.Delay(20);
        }
    }

    /// <summary>Uploads text and waits until it is indexed; answers the item.</summary>
    public static async Task<JsonElement> AddReadyFileAsync(this HttpClient client, string driveId, string path, string text)
    {
        var item = await client.UploadTextAsync(driveId, path, text);
        var indexed = await client.WaitForIndexedAsync(driveId, item.Id());
        indexed.GetProperty("status").GetString().ShouldBe("ready", indexed.ToString());
        return indexed;
    }

    /// <summary>The item ids a search of the drive answers, best first.</summary>
    public static async Task<List<string>> SearchIdsAsync(this HttpClient client, string driveId, string query)
    {
        var result = await client.GetFromJsonElementAsync($"/v1/drives/{driveId}/search?q={Uri.EscapeDataString(query)}");
        return [.. result.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("itemId").GetString()!)];
    }

    /// <summary>A real one-page PDF whose text is <paramref name="lines"/>, with <paramref name="title"/> in its information.</summary>
    public static byte[] Pdf(string title, params string[] lines)
    {
        var builder = new PdfDocumentBuilder();
        builder.DocumentInformation.Title = title;
        var page = builder.AddPage(PageSize.A4);
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var y = 760.0;
        foreach (var line in lines)
        {
            page.AddText(line, 12, new PdfPoint(40, y), font);
            y -= 20;
        }

        return builder.Build();
    }
}
