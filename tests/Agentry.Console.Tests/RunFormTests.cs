using System.Text.Json.Nodes;
using Agentry.Console.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Agentry.Console.Tests;

public sealed class RunFormTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    // Browser-checked keywords (required, maximum, format, enum) and one only the server checks ("not"), so both kinds of
    // error are shown on their fields.
    private static JsonObject RichSchema() => JsonNode.Parse("""
        {
          "type": "object",
          "required": ["topic", "depth", "audience"],
          "properties": {
            "topic": { "type": "string", "description": "What to research", "not": { "const": "nothing" } },
            "depth": { "type": "integer", "minimum": 1, "maximum": 5, "default": 2 },
            "audience": { "enum": ["experts", "beginners"] },
            "contact": { "type": "string", "format": "email" },
            "due": { "type": "string", "format": "date" },
            "deep": { "type": "boolean" },
            "tags": { "type": "array", "items": { "type": "string" } },
            "author": { "type": "object", "properties": { "name": { "type": "string" } }, "required": ["name"] }
          }
        }
        """)!.AsObject();

    [Fact]
    public async Task RunForm_InvalidThenValidInput_ShowsErrorsOnTheFieldsThenRunsWithLiveEvents()
    {
        ExpectErrorAnswer(422, "/runs");
        var agentId = await Server.CreateAgentAsync(ConsoleServer.Agent("Form test agent", RichSchema()), Ct);
        await OpenSignedInAsync($"/agents/{agentId}");

        // The generated form: labels, required marks, defaults, enum as select, formats, nested object, array.
        await Expect(Page.GetByLabel("Topic")).ToBeVisibleAsync();
        await Expect(Page.Locator("#input-depth")).ToHaveValueAsync("2");
        await Expect(Page.Locator("select#input-audience")).ToBeVisibleAsync();
        await Expect(Page.Locator("input#input-contact[type=email]")).ToBeVisibleAsync();
        await Expect(Page.Locator("input#input-due[type=date]")).ToBeVisibleAsync();
        await Expect(Page.Locator("fieldset[data-pointer='/author']")).ToBeVisibleAsync();
        await Expect(Page.Locator("fieldset[data-pointer='/tags']")).ToBeVisibleAsync();

        // Checked in the browser: nothing is sent.
        await Page.Locator("#input-depth").FillAsync("9");
        await Page.Locator("#input-contact").FillAsync("not-an-email");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Start run" }).ClickAsync();
        await Expect(Page.Locator("[data-error-for='/topic']")).ToHaveTextAsync("is required");
        await Expect(Page.Locator("[data-error-for='/depth']")).ToHaveTextAsync("must be <= 5");
        await Expect(Page.Locator("[data-error-for='/audience']")).ToHaveTextAsync("is required");
        await Expect(Page.Locator("[data-error-for='/contact']")).ToHaveTextAsync("must be an email address");
        await Expect(Page.Locator("#input-topic")).ToHaveAttributeAsync("aria-invalid", "true");
        await ScreenshotAsync("browser-errors");

        // Passes the browser's checks, fails the server's: its 422 lands on the field.
        await Page.Locator("#input-topic").FillAsync("nothing");
        await Page.Locator("#input-depth").FillAsync("3");
        await Page.Locator("#input-audience").SelectOptionAsync(new SelectOptionValue { Label = "experts" });
        await Page.Locator("#input-contact").FillAsync("ada@example.com");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Start run" }).ClickAsync();
        await Expect(Page.Locator("[data-error-for='/topic']")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("run-problem")).ToContainTextAsync("/topic");
        await Expect(Page.Locator("[data-error-for='/depth']")).ToHaveCountAsync(0);
        await ScreenshotAsync("server-errors");

        await Page.Locator("#input-topic").FillAsync("tidal power");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add item" }).ClickAsync();
        await Page.Locator("#input-tags-0").FillAsync("energy");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Start run" }).ClickAsync();

        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/runs/run_[A-Za-z0-9]+$"));
        var runId = Page.Url.Split('/')[^1].Split('?')[0];
        await Expect(Page.Locator(".page-header [data-status]")).ToHaveAttributeAsync("data-status", "done");
        var run = await Server.WaitForRunAsync(runId, Ct);
        run["input"]!.ToJsonString().ShouldBe("""{"topic":"tidal power","depth":3,"audience":"experts","contact":"ada@example.com","tags":["energy"]}""");

        // The result is the rendered Markdown document; every event is in the timeline, once.
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Result" }).ClickAsync();
        await Expect(Page.Locator(".markdown h1")).ToContainTextAsync("tidal power");
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Sources (0)" }).ClickAsync();
        await Expect(Page.GetByText("No sources.")).ToBeVisibleAsync();
        var events = await Server.ListEventsAsync(runId, Ct);
        await Page.GetByRole(AriaRole.Tab, new() { Name = $"Timeline ({events.Count})" }).ClickAsync();
        await Expect(Page.Locator(".event[data-type='model_call']").First).ToBeVisibleAsync();
        await Expect(Page.Locator(".event[data-type='status']").Last).ToContainTextAsync("running → done");
        await ScreenshotAsync("timeline");

        // The waterfall: one bar per timed step (here the model calls).
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Waterfall" }).ClickAsync();
        var modelCalls = events.Count(e => e!["type"]!.GetValue<string>() == "model_call");
        await Expect(Page.GetByTestId("waterfall").Locator(".wf-row")).ToHaveCountAsync(modelCalls);
        await FinishAsync();
    }
}
