using static Agentry.JsonSchema.Tests.Unit.TestSchemas;

namespace Agentry.JsonSchema.Tests.Unit;

public sealed class SchemaCheckTests
{
    [Theory]
    [InlineData("""{"type":"strnig"}""", "/type")]
    [InlineData("""{"minLength":-1}""", "/minLength")]
    [InlineData("""{"required":"x"}""", "/required")]
    [InlineData("""{"properties":{"a":{"maxItems":1.5}}}""", "/properties/a/maxItems")]
    [InlineData("""{"$schema":"http://json-schema.org/draft-07/schema#","type":"strnig"}""", "/type")]
    [InlineData("""{"$schema":"http://json-schema.org/draft-07/schema#","minLength":-1}""", "/minLength")]
    public void Invalid_schemas_are_rejected_with_a_pointer_into_the_schema(string schema, string path)
    {
        var errors = JsonSchemaCompiler.CheckSchema(Json(schema));

        errors.ShouldNotBeEmpty();
        errors.ShouldAllBe(e => e.Path == path);
        Should.Throw<InvalidJsonSchemaException>(() => JsonSchemaCompiler.Compile(Json(schema))).Errors.ShouldBe(errors);
    }

    [Fact]
    public void Every_problem_is_listed()
    {
        var errors = JsonSchemaCompiler.CheckSchema(Json("""{"type":"strnig","minLength":-1,"required":"x"}"""));

        errors.Select(e => e.Path).Distinct().Order().ShouldBe(["/minLength", "/required", "/type"]);
    }

    [Fact]
    public void Valid_schema_has_no_problems() => JsonSchemaCompiler.CheckSchema(Json(AgentInput)).ShouldBeEmpty();

    [Theory]
    [InlineData("""{"$ref":"https://example.com/missing.json"}""", "https://example.com/missing.json")]
    [InlineData("""{"$ref":"#/$defs/nope"}""", "/$defs/nope")]
    [InlineData("""{"$ref":"#nowhere"}""", "nowhere")]
    [InlineData("""{"$ref":"other.json"}""", "other.json")]
    public void Unresolvable_ref_is_a_schema_error(string schema, string mentioned)
    {
        var ex = Should.Throw<InvalidJsonSchemaException>(() => JsonSchemaCompiler.Compile(Json(schema)));

        var error = ex.Errors.ShouldHaveSingleItem();
        error.Path.ShouldBe("/$ref");
        error.Keyword.ShouldBe("$ref");
        error.Message.ShouldContain(mentioned);
        ex.Message.ShouldContain("cannot resolve $ref");
    }

    [Fact]
    public void Invalid_regex_is_a_schema_error()
    {
        var error = JsonSchemaCompiler.CheckSchema(Json("""{"pattern":"(unclosed"}""")).ShouldHaveSingleItem();
        error.Path.ShouldBe("/pattern");
        error.Message.ShouldContain("not a valid");
    }

    [Fact]
    public void Unknown_schema_dialect_is_rejected()
    {
        JsonSchemaCompiler.CheckSchema(Json("""{"$schema":"https://example.com/my-dialect"}""")).ShouldHaveSingleItem().Keyword.ShouldBe("$schema");
        JsonSchemaCompiler.CheckSchema(Json("""{"$schema":"https://json-schema.org/draft/2019-09/schema"}""")).ShouldHaveSingleItem().Message.ShouldContain("unsupported");
    }
}
