using System.Diagnostics;
using System.Text;
using static Agentry.JsonSchema.Tests.Unit.TestSchemas;

namespace Agentry.JsonSchema.Tests.Unit;

public sealed class HostileInputTests
{
    private static string Nested(int depth, string open, string close, string leaf = "1") =>
        new StringBuilder().Insert(0, open, depth).Append(leaf).Insert(depth * open.Length + leaf.Length, close, depth).ToString();

    [Fact]
    public void Instance_nested_ten_thousand_levels_ends_with_a_depth_error()
    {
        var instance = Json(Nested(10_000, "[", "]"), maxDepth: 20_000);
        var schema = Compile("""{"items":{"$ref":"#"}}""");

        var result = schema.Validate(instance);

        result.IsValid.ShouldBeFalse();
        var error = result.Errors.ShouldHaveSingleItem();
        error.Keyword.ShouldBe("depth");
        error.Message.ShouldContain("deeper than the limit");
        schema.IsValid(instance).ShouldBeFalse();
    }

    [Fact]
    public void Deep_instance_against_const_and_unique_items_is_bounded()
    {
        var instance = Json("[" + Nested(10_000, "{\"a\":", "}") + "," + Nested(10_000, "{\"a\":", "}") + "]", maxDepth: 20_000);

        Compile("""{"uniqueItems":true}""").Validate(instance).Errors.ShouldHaveSingleItem().Keyword.ShouldBe("depth");
        Compile("""{"const":[1]}""").Validate(instance).IsValid.ShouldBeFalse();
    }

    [Fact]
    public void Deep_nesting_within_the_limit_validates_normally()
    {
        var schema = Compile("""{"anyOf":[{"type":"integer"},{"type":"array","items":{"$ref":"#"}}]}""");

        schema.Validate(Json(Nested(60, "[", "]"))).IsValid.ShouldBeTrue();
        schema.Validate(Json(Nested(60, "[", "]", "\"x\""))).IsValid.ShouldBeFalse();
    }

    [Fact]
    public void Schema_nested_ten_thousand_levels_is_rejected_without_crashing()
    {
        var schema = Json(Nested(10_000, "{\"not\":", "}", "{}"), maxDepth: 20_000);

        var errors = JsonSchemaCompiler.CheckSchema(schema);

        errors.ShouldNotBeEmpty();
        Should.Throw<InvalidJsonSchemaException>(() => JsonSchemaCompiler.Compile(schema));
    }

    [Theory]
    [InlineData("""{"$ref":"#"}""")]
    [InlineData("""{"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"allOf":[{"$ref":"#/$defs/a"}]}},"$ref":"#/$defs/a"}""")]
    public void Ref_cycles_that_consume_nothing_are_reported(string schemaJson)
    {
        var schema = Compile(schemaJson);

        var result = schema.Validate(Json("""{"a":1}"""));

        result.IsValid.ShouldBeFalse();
        var error = result.Errors.ShouldHaveSingleItem();
        error.Keyword.ShouldBe("$ref");
        error.Message.ShouldContain("cycle");
    }

    [Fact]
    public void Recursive_ref_that_consumes_the_instance_is_fine()
    {
        var schema = Compile("""{"type":"object","properties":{"child":{"$ref":"#"}},"additionalProperties":false}""");

        schema.Validate(Json("""{"child":{"child":{}}}""")).IsValid.ShouldBeTrue();
        schema.Validate(Json("""{"child":{"child":{"x":1}}}""")).Errors.ShouldHaveSingleItem().Path.ShouldBe("/child/child/x");
    }

    [Fact]
    public void Catastrophic_regex_ends_in_bounded_time_with_an_error()
    {
        var options = new JsonSchemaOptions { RegexMatchTimeout = TimeSpan.FromMilliseconds(200) };
        var schema = Compile("""{"pattern":"^(a|aa)+$"}""", options);
        var instance = Json("\"" + new string('a', 40) + "!\"");

        var watch = Stopwatch.StartNew();
        var result = schema.Validate(instance);
        watch.Stop();

        result.IsValid.ShouldBeFalse();
        var error = result.Errors.ShouldHaveSingleItem();
        error.Keyword.ShouldBe("pattern");
        error.Message.ShouldContain("took too long");
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Nested_quantifier_pattern_is_invalid_without_hanging()
    {
        var options = new JsonSchemaOptions { RegexMatchTimeout = TimeSpan.FromMilliseconds(200) };
        var schema = Compile("""{"pattern":"^(a+)+$"}""", options);

        var watch = Stopwatch.StartNew();
        var result = schema.Validate(Json("\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\""));

        result.IsValid.ShouldBeFalse();
        result.Errors.ShouldHaveSingleItem().Keyword.ShouldBe("pattern"); // either "must match" or "took too long"
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Huge_numbers_do_not_blow_up()
    {
        Validate("""{"multipleOf":0.5}""", "1e999999999").IsValid.ShouldBeTrue();
        Validate("""{"multipleOf":3}""", "1e999999999").IsValid.ShouldBeFalse();
        Validate("""{"maximum":1}""", "1e999999999").IsValid.ShouldBeFalse();
        Validate("""{"minimum":1}""", "1e-999999999").IsValid.ShouldBeFalse();
    }

    [Fact]
    public void Many_regex_timeouts_stop_the_run_instead_of_adding_up()
    {
        var options = new JsonSchemaOptions { RegexMatchTimeout = TimeSpan.FromMilliseconds(100) };
        var schema = Compile("""{"patternProperties":{"^(a|aa)+$":true},"additionalProperties":false}""", options);
        var evil = new string('a', 40) + "!";
        var instance = Json("{" + string.Join(",", Enumerable.Range(0, 100).Select(i => $"\"{evil}{i}\":1")) + "}");

        var watch = Stopwatch.StartNew();
        var result = schema.Validate(instance);
        watch.Stop();

        result.IsValid.ShouldBeFalse();
        result.Errors[^1].Message.ShouldContain("validation stopped");
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Large_array_of_similar_objects_checks_uniqueness_quickly()
    {
        var items = string.Join(",", Enumerable.Range(0, 20_000).Select(i => $$"""{"id":{{i}},"name":"n","tags":["a","b"]}"""));
        var schema = Compile("""{"uniqueItems":true}""");

        var watch = Stopwatch.StartNew();
        schema.Validate(Json("[" + items + "]")).IsValid.ShouldBeTrue();
        schema.Validate(Json("[" + items + ",{\"id\":7,\"tags\":[\"a\",\"b\"],\"name\":\"n\"}]")).Errors.ShouldHaveSingleItem().Message.ShouldContain("items 7 and 20000");
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Default_json_elements_are_rejected_as_arguments()
    {
        Should.Throw<ArgumentException>(() => JsonSchemaCompiler.Compile(default));
        Should.Throw<ArgumentException>(() => Compile("true").Validate(default));
    }

    [Theory]
    [InlineData("""{"minLength":2}""", "\"\\ud800\"", "")]
    [InlineData("""{"enum":["a"]}""", "\"\\ud800\"", "")]
    [InlineData("""{"items":{"format":"hostname"}}""", "[\"ok\", \"xn--\\ud800\"]", "/1")]
    [InlineData("""{"propertyNames":{"maxLength":1}}""", "{\"\\udc00x\":1}", "")]
    [InlineData("""{"uniqueItems":true}""", "[\"\\ud800\",\"\\ud800\"]", "")]
    public void Unpaired_surrogate_escapes_are_a_validation_error_not_an_exception(string schema, string instance, string path)
    {
        var compiled = Compile(schema, new JsonSchemaOptions { FormatAssertion = true });

        var result = compiled.Validate(Json(instance));

        result.IsValid.ShouldBeFalse();
        var error = result.Errors[^1];
        error.Keyword.ShouldBe("unicode");
        error.Path.ShouldBe(path);
        compiled.IsValid(Json(instance)).ShouldBeFalse();
    }

    [Fact]
    public void Unpaired_surrogate_escape_in_a_schema_is_a_schema_error()
    {
        var errors = JsonSchemaCompiler.CheckSchema(Json("""{"required":["\ud800"]}"""));

        errors.ShouldHaveSingleItem().Keyword.ShouldBe("unicode");
        Should.Throw<InvalidJsonSchemaException>(() => JsonSchemaCompiler.Compile(Json("""{"required":["\ud800"]}""")));
    }
}
