using static Agentry.JsonSchema.Tests.Unit.TestSchemas;

namespace Agentry.JsonSchema.Tests.Unit;

public sealed class ErrorReportingTests
{
    private static readonly JsonSchemaOptions Formats = new() { FormatAssertion = true };

    [Fact]
    public void Missing_required_property_points_at_the_property()
    {
        var result = Validate(AgentInput, """{"priority":"low","contact":{"email":"a@b.co"}}""");

        result.IsValid.ShouldBeFalse();
        result.Errors.ShouldHaveSingleItem().ShouldBe(new SchemaError("/topic", "required", "#/required", "is required"));
    }

    [Fact]
    public void Every_error_is_reported_in_document_order_with_actionable_messages()
    {
        var result = Validate(
            AgentInput,
            """{"topic":"ab","priority":"urgent","retries":7,"contact":{"email":"nope","extra":1},"tags":["ok","Bad!"]}""",
            Formats);

        result.Errors.Select(e => (e.Path, e.Keyword, e.SchemaPath, e.Message)).ShouldBe(
        [
            ("/topic", "minLength", "#/properties/topic/minLength", "must have at least 3 characters"),
            ("/priority", "enum", "#/properties/priority/enum", "must be one of: \"low\", \"medium\", \"high\""),
            ("/retries", "maximum", "#/properties/retries/maximum", "must be <= 5"),
            ("/contact/email", "format", "#/properties/contact/properties/email/format", "must match the format \"email\""),
            ("/contact/extra", "additionalProperties", "#/properties/contact/additionalProperties", "is not allowed"),
            ("/tags/1", "pattern", "#/properties/tags/items/pattern", "must match the pattern \"^[a-z0-9-]+$\""),
        ]);
    }

    [Fact]
    public void Type_errors_name_the_expected_types()
    {
        Validate("""{"type":"string"}""", "1").Errors.ShouldHaveSingleItem().Message.ShouldBe("must be a string");
        Validate("""{"type":["integer","null"]}""", "\"x\"").Errors.ShouldHaveSingleItem().Message.ShouldBe("must be an integer or null");
    }

    [Fact]
    public void Format_is_only_an_annotation_by_default()
    {
        Validate("""{"format":"email"}""", "\"not an email\"").IsValid.ShouldBeTrue();
        Validate("""{"format":"email"}""", "\"not an email\"", Formats).IsValid.ShouldBeFalse();
        Validate("""{"format":"made-up"}""", "\"x\"", Formats).IsValid.ShouldBeTrue();
    }

    [Fact]
    public void AnyOf_failure_is_one_error_that_summarises_the_branches()
    {
        var result = Validate("""{"anyOf":[{"type":"string"},{"type":"integer","minimum":10}]}""", "3");

        var error = result.Errors.ShouldHaveSingleItem();
        error.Keyword.ShouldBe("anyOf");
        error.SchemaPath.ShouldBe("#/anyOf");
        error.Message.ShouldBe("must match at least one of the 2 schemas in anyOf: [0] must be a string | [1] must be >= 10");
    }

    [Fact]
    public void OneOf_reports_which_branches_matched_when_more_than_one_did()
    {
        var result = Validate("""{"oneOf":[{"type":"number"},{"type":"integer"}]}""", "3");

        result.Errors.ShouldHaveSingleItem().Message.ShouldBe("must match exactly one of the schemas in oneOf, but matched 2 (schemas 0, 1)");
    }

    [Fact]
    public void Not_and_if_do_not_leak_errors_from_their_subschemas()
    {
        Validate("""{"not":{"type":"string","minLength":1}}""", "\"abc\"").Errors.ShouldHaveSingleItem().Keyword.ShouldBe("not");

        var result = Validate(
            """{"if":{"properties":{"country":{"const":"US"}}},"then":{"required":["zip"]},"else":{"required":["postcode"]}}""",
            """{"country":"FR"}""");
        result.Errors.ShouldHaveSingleItem().ShouldBe(new SchemaError("/postcode", "required", "#/else/required", "is required"));
    }

    [Fact]
    public void Errors_are_stable_across_runs()
    {
        var schema = Compile(AgentInput, Formats);
        var instance = Json("""{"topic":"","priority":1,"retries":-1,"contact":{},"tags":[1,1]}""");

        var first = schema.Validate(instance).Errors;
        for (var i = 0; i < 20; i++)
        {
            schema.Validate(instance).Errors.ShouldBe(first);
        }

        first.Count.ShouldBeGreaterThanOrEqualTo(5);
    }

    [Fact]
    public void Contains_and_unique_items_messages()
    {
        Validate("""{"contains":{"type":"integer"},"minContains":2}""", """[1,"a"]""").Errors.ShouldHaveSingleItem()
            .ShouldBe(new SchemaError("", "minContains", "#/minContains", "must contain at least 2 items matching the contains schema (found 1)"));
        Validate("""{"uniqueItems":true}""", "[1, 2, 1.0]").Errors.ShouldHaveSingleItem().Message.ShouldBe("must not contain duplicate items (items 0 and 2 are equal)");
    }

    [Fact]
    public void Paths_escape_json_pointer_characters()
    {
        Validate("""{"properties":{"a/b~c":{"type":"string"}}}""", """{"a/b~c":1}""").Errors.ShouldHaveSingleItem()
            .ShouldBe(new SchemaError("/a~1b~0c", "type", "#/properties/a~1b~0c/type", "must be a string"));
    }

    [Fact]
    public void Errors_through_a_ref_name_the_keyword_where_it_is_defined()
    {
        Validate("""{"$defs":{"name":{"type":"string","maxLength":2}},"properties":{"n":{"$ref":"#/$defs/name"}}}""", """{"n":"abc"}""")
            .Errors.ShouldHaveSingleItem().ShouldBe(new SchemaError("/n", "maxLength", "#/$defs/name/maxLength", "must have at most 2 characters"));
    }
}
