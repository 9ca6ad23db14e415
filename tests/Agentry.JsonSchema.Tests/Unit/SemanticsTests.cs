using System.Text.Json;
using static Agentry.JsonSchema.Tests.Unit.TestSchemas;

namespace Agentry.JsonSchema.Tests.Unit;

public sealed class SemanticsTests
{
    [Theory]
    [InlineData("19.99", true)]
    [InlineData("0.3", true)]
    [InlineData("19.995", false)]
    [InlineData("1e308", true)]
    [InlineData("123456789012345678901234567890.01", true)]
    public void MultipleOf_uses_exact_decimal_arithmetic(string value, bool valid) =>
        Validate("""{"multipleOf":0.01}""", value).IsValid.ShouldBe(valid);

    [Fact]
    public void Numbers_compare_by_value()
    {
        Validate("""{"enum":[1, "a"]}""", "1.0").IsValid.ShouldBeTrue();
        Validate("""{"const":{"a":[1]}}""", """{"a":[1.000]}""").IsValid.ShouldBeTrue();
        Validate("""{"type":"integer"}""", "1.0").IsValid.ShouldBeTrue();
        Validate("""{"maximum":18446744073709551615}""", "18446744073709551616").IsValid.ShouldBeFalse();
        Validate("""{"minimum":0.1}""", "0.09999999999999999999").IsValid.ShouldBeFalse();
    }

    [Fact]
    public void String_length_counts_code_points()
    {
        Validate("""{"maxLength":2}""", "\"\uD83D\uDCA9\uD83D\uDCA9\"").IsValid.ShouldBeTrue();
        Validate("""{"minLength":3}""", "\"\uD83D\uDCA9\uD83D\uDCA9\"").IsValid.ShouldBeFalse();
        Validate("""{"maxLength":1}""", "\"\\ud83d\\udca9\"").IsValid.ShouldBeTrue(); // escaped pair is one code point
        Validate("""{"minLength":2,"maxLength":2}""", "\"\\u00e9\u00e9\"").IsValid.ShouldBeTrue();
    }

    [Fact]
    public void Pattern_follows_ecma262_not_dotnet()
    {
        Validate("""{"pattern":"^\\d+$"}""", "\"\u0663\"").IsValid.ShouldBeFalse(); // Arabic-Indic digit is not \d in ECMA-262
        Validate("""{"pattern":"^\\d+$"}""", "\"123\"").IsValid.ShouldBeTrue();
        Validate("""{"pattern":"^a$"}""", "\"a\\n\"").IsValid.ShouldBeFalse(); // $ is the end of input only
        Validate("""{"pattern":"^\\p{Letter}+$"}""", "\"éa\"").IsValid.ShouldBeTrue();
    }

    [Fact]
    public void Draft7_is_chosen_by_schema_keyword_or_default_draft()
    {
        const string tuple = """{"items":[{"type":"string"}],"additionalItems":false}""";
        Validate("""{"$schema":"http://json-schema.org/draft-07/schema#","items":[{"type":"string"}],"additionalItems":false}""", """["a",1]""").IsValid.ShouldBeFalse();
        Validate(tuple, """["a",1]""", new JsonSchemaOptions { DefaultDraft = JsonSchemaDraft.Draft7 }).IsValid.ShouldBeFalse();

        // Draft-07 ignores siblings of $ref.
        Validate("""{"$schema":"http://json-schema.org/draft-07/schema#","definitions":{"a":{}},"$ref":"#/definitions/a","type":"string"}""", "1").IsValid.ShouldBeTrue();
        Validate("""{"$defs":{"a":{}},"$ref":"#/$defs/a","type":"string"}""", "1").IsValid.ShouldBeFalse();
    }

    [Fact]
    public void Remote_refs_resolve_only_through_the_registry()
    {
        var registry = new JsonSchemaRegistry();
        registry.Add(new Uri("https://example.com/schemas/name.json"), Json("""{"type":"string","minLength":1}"""));
        var options = new JsonSchemaOptions { Registry = registry };

        Validate("""{"properties":{"n":{"$ref":"https://example.com/schemas/name.json"}}}""", """{"n":""}""", options).Errors.ShouldHaveSingleItem()
            .SchemaPath.ShouldBe("https://example.com/schemas/name.json#/minLength");
        Validate("""{"$id":"https://example.com/schemas/root.json","$ref":"name.json"}""", "\"x\"", options).IsValid.ShouldBeTrue();
    }

    [Fact]
    public void Refs_to_the_embedded_meta_schemas_work()
    {
        Validate("""{"$ref":"https://json-schema.org/draft/2020-12/schema"}""", """{"type":"strnig"}""").IsValid.ShouldBeFalse();
        Validate("""{"$ref":"https://json-schema.org/draft/2020-12/schema"}""", """{"type":"string"}""").IsValid.ShouldBeTrue();
        Validate("""{"$ref":"http://json-schema.org/draft-07/schema#"}""", """{"minLength":-1}""").IsValid.ShouldBeFalse();
    }

    [Fact]
    public void Unevaluated_properties_see_through_in_place_applicators()
    {
        const string schema = """
            {"allOf":[{"properties":{"a":true}}],"if":{"required":["b"]},"then":{"properties":{"b":true}},"unevaluatedProperties":false}
            """;
        Validate(schema, """{"a":1,"b":2}""").IsValid.ShouldBeTrue();
        Validate(schema, """{"a":1,"c":2}""").Errors.ShouldHaveSingleItem().ShouldBe(new SchemaError("/c", "unevaluatedProperties", "#/unevaluatedProperties", "is not allowed"));
    }

    [Fact]
    public void Compiled_schema_outlives_the_source_document()
    {
        CompiledSchema compiled;
        using (var doc = JsonDocument.Parse("""{"enum":["x"],"properties":{"a":{"const":1}}}"""))
        {
            compiled = JsonSchemaCompiler.Compile(doc.RootElement);
        }

        compiled.Validate(Json("\"x\"")).IsValid.ShouldBeTrue();
        compiled.Validate(Json("\"y\"")).IsValid.ShouldBeFalse();
    }
}
