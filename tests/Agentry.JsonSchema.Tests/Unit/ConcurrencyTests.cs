using System.Text.Json;
using static Agentry.JsonSchema.Tests.Unit.TestSchemas;

namespace Agentry.JsonSchema.Tests.Unit;

public sealed class ConcurrencyTests
{
    [Fact]
    public void One_compiled_schema_gives_the_same_results_from_many_threads()
    {
        var schema = Compile(AgentInput, new JsonSchemaOptions { FormatAssertion = true });
        JsonElement[] instances =
        [
            Json("""{"topic":"hello","priority":"low","contact":{"email":"a@b.co"},"tags":["a","b"]}"""),
            Json("""{"topic":"","priority":"x","retries":9,"contact":{"email":"bad"},"tags":["a","a"]}"""),
            Json("""{"contact":{"extra":true}}"""),
            Json("[]"),
        ];
        var expected = instances.Select(i => schema.Validate(i)).ToArray();

        var mismatches = 0;
        Parallel.For(0, 2_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, n =>
        {
            var i = n % instances.Length;
            var actual = schema.Validate(instances[i]);
            if (actual.IsValid != expected[i].IsValid || !actual.Errors.SequenceEqual(expected[i].Errors) || schema.IsValid(instances[i]) != expected[i].IsValid)
            {
                Interlocked.Increment(ref mismatches);
            }
        });

        mismatches.ShouldBe(0);
        expected.Select(e => e.IsValid).ShouldBe([true, false, false, false]);
    }

    [Fact]
    public void Compiling_concurrently_is_safe()
    {
        var results = new bool[64];
        Parallel.For(0, results.Length, i =>
        {
            var schema = Compile("""{"$ref":"https://json-schema.org/draft/2020-12/schema"}""");
            results[i] = schema.Validate(Json("""{"type":"string"}""")).IsValid;
        });

        results.ShouldAllBe(r => r);
    }
}
