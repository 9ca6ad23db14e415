using Agentry.Core.Runtime;
using Agentry.Core.Tests.Fakes;

namespace Agentry.Core.Tests.Runtime;

public sealed class GoalPromptTemplateTests
{
    [Fact]
    public void Render_InputValues_AreSubstitutedWithoutHtmlEscaping()
    {
        var template = GoalPromptTemplate.Compile("Research {{topic}} for {{audience.name}} in {{depth}} steps ({{ratio}}).");

        var text = template.Render(TestRuns.Json("""{"topic":"R&D <costs>","audience":{"name":"the board"},"depth":3,"ratio":1.50}"""));

        text.ShouldBe("Research R&D <costs> for the board in 3 steps (1.50).");
    }

    [Fact]
    public void Render_EachAndIf_WorkOverArraysAndBooleans()
    {
        var template = GoalPromptTemplate.Compile("{{#each sources}}[{{this}}]{{/each}}{{#if urgent}} now{{else}} later{{/if}}");

        template.Render(TestRuns.Json("""{"sources":["a","b"],"urgent":true}""")).ShouldBe("[a][b] now");
        template.Render(TestRuns.Json("""{"sources":[],"urgent":false}""")).ShouldBe(" later");
    }

    [Fact]
    public void Render_MissingValue_RendersAsNothing()
    {
        GoalPromptTemplate.Compile("About {{topic}}.").Render(TestRuns.Json("{}")).ShouldBe("About .");
    }

    [Fact]
    public void Render_WholeObjectOrArray_RendersAsJson()
    {
        var text = GoalPromptTemplate.Compile("Filters: {{filters}}; tags: {{tags}}").Render(TestRuns.Json("""{"filters":{"year":2024},"tags":["x",1]}"""));

        text.ShouldBe("""Filters: {"year":2024}; tags: ["x",1]""");
    }

    [Fact]
    public void TryCompile_ValidTemplate_ReturnsTrueWithoutError()
    {
        GoalPromptTemplate.TryCompile("Research {{topic}}{{#if deep}} deeply{{/if}}.", out var error).ShouldBeTrue();
        error.ShouldBeNull();
    }

    [Theory]
    [InlineData("Research {{#if topic}}unclosed")]
    [InlineData("Research {{topic")]
    [InlineData("{{#each items}}{{/if}}")]
    public void TryCompile_BrokenTemplate_ReturnsFalseWithAMessage(string template)
    {
        GoalPromptTemplate.TryCompile(template, out var error).ShouldBeFalse();
        error.ShouldNotBeNullOrWhiteSpace();
        error.ShouldContain("Handlebars");
    }

    [Fact]
    public void Compile_BrokenTemplate_ThrowsFormatException()
    {
        Should.Throw<FormatException>(() => GoalPromptTemplate.Compile("{{#if x}}"));
    }
}
