using System.Text.Json;
using Agentry.JsonSchema;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Agentry.Bench.JsonSchema;

/// <summary>
/// Validation cost of Agentry.JsonSchema. Parsing the same JSON is the baseline of each group, so the Ratio column
/// reads "validation costs N× what System.Text.Json needs just to parse the input".
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class JsonSchemaValidationBenchmarks
{
    private static readonly JsonSchemaOptions Options = new() { FormatAssertion = true };

    private string _inputText = string.Empty;
    private string _largeText = string.Empty;
    private JsonElement _inputSchema;
    private JsonElement _input;
    private JsonElement _large;
    private CompiledSchema _compiledInput = null!;
    private CompiledSchema _compiledArray = null!;

    [GlobalSetup]
    public void Setup()
    {
        _inputText = BenchmarkData.ValidInput(42);
        _largeText = BenchmarkData.LargeArray(1024 * 1024);
        _inputSchema = Parse(BenchmarkData.InputSchema);
        _input = Parse(_inputText);
        _large = Parse(_largeText);
        _compiledInput = JsonSchemaCompiler.Compile(_inputSchema, Options);

        var registry = new JsonSchemaRegistry();
        registry.Add("https://agentry.example/schemas/research-input.json", _inputSchema);
        _compiledArray = JsonSchemaCompiler.Compile(Parse(BenchmarkData.ArraySchema), new JsonSchemaOptions { FormatAssertion = true, Registry = registry });

        // A benchmark of the happy path must really be on the happy path.
        if (!_compiledInput.Validate(_input).IsValid || !_compiledArray.Validate(_large).IsValid)
        {
            throw new InvalidOperationException("Benchmark instances must be valid: " + string.Join("; ", _compiledArray.Validate(_large).Errors.Take(5)));
        }
    }

    private static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Input30")]
    public int Input30_ParseOnly()
    {
        using var doc = JsonDocument.Parse(_inputText);
        return doc.RootElement.GetPropertyCount();
    }

    [Benchmark]
    [BenchmarkCategory("Input30")]
    public bool Input30_Validate() => _compiledInput.Validate(_input).IsValid;

    [Benchmark]
    [BenchmarkCategory("Input30")]
    public bool Input30_IsValid() => _compiledInput.IsValid(_input);

    [Benchmark]
    [BenchmarkCategory("Input30")]
    public CompiledSchema Input30_Compile() => JsonSchemaCompiler.Compile(_inputSchema, Options);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Array1MB")]
    public int Array1MB_ParseOnly()
    {
        using var doc = JsonDocument.Parse(_largeText);
        return doc.RootElement.GetArrayLength();
    }

    [Benchmark]
    [BenchmarkCategory("Array1MB")]
    public bool Array1MB_Validate() => _compiledArray.Validate(_large).IsValid;

    [Benchmark]
    [BenchmarkCategory("Array1MB")]
    public bool Array1MB_IsValid() => _compiledArray.IsValid(_large);
}
