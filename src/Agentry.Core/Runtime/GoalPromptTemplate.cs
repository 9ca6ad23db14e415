using System.Text.Json;
using HandlebarsDotNet;
using HandlebarsDotNet.IO;

namespace Agentry.Core.Runtime;

/// <summary>
/// An agent's goal prompt: a Handlebars template over the run's input (<c>Research {{topic}} in {{depth}} steps</c>).
/// Nothing is HTML-escaped: the text goes to a model, not a browser. A missing value renders as nothing.
/// Objects and arrays rendered whole (<c>{{filters}}</c>) appear as their JSON.
/// </summary>
public sealed class GoalPromptTemplate
{
    // One environment for every template: compiled templates are immutable and safe to render concurrently.
    private static readonly IHandlebars Environment = CreateEnvironment();

    private readonly HandlebarsTemplate<object, object> _template;

    private GoalPromptTemplate(string source, HandlebarsTemplate<object, object> template)
    {
        Source = source;
        _template = template;
    }

    /// <summary>The template text as written.</summary>
    public string Source { get; }

    /// <summary>
    /// Checks that <paramref name="template"/> compiles and renders (an unknown helper is found only by rendering, so
    /// it renders once over an empty input). Used by the agents API when an agent is created or updated.
    /// </summary>
    /// <param name="template">The goal prompt.</param>
    /// <param name="error">Why it does not compile, for a 422 message; null when it does.</param>
    /// <returns>True when the template can be used.</returns>
    public static bool TryCompile(string template, out string? error)
    {
        ArgumentNullException.ThrowIfNull(template);
        try
        {
            var compiled = Compile(template);
            using var empty = JsonDocument.Parse("{}");
            compiled.Render(empty.RootElement);
            error = null;
            return true;
        }
        catch (FormatException exception)
        {
            error = exception.Message;
            return false;
        }
    }

    /// <summary>Compiles <paramref name="template"/>.</summary>
    /// <exception cref="FormatException">The template is not valid Handlebars; the message says where.</exception>
    public static GoalPromptTemplate Compile(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        try
        {
            return new GoalPromptTemplate(template, Environment.Compile(template));
        }
        catch (HandlebarsException exception)
        {
            throw new FormatException($"The goal prompt is not a valid Handlebars template: {exception.Message}", exception);
        }
    }

    /// <summary>Renders the template over <paramref name="input"/> (the run's input object).</summary>
    /// <exception cref="FormatException">The template failed while rendering, e.g. it calls an unknown helper.</exception>
    public string Render(JsonElement input)
    {
        try
        {
            return _template(ToTemplateValue(input) ?? new JsonObjectValue(input), null);
        }
        catch (HandlebarsException exception)
        {
            throw new FormatException($"The goal prompt could not be rendered: {exception.Message}", exception);
        }
    }

    private static IHandlebars CreateEnvironment()
    {
        var configuration = new HandlebarsConfiguration { NoEscape = true };
        configuration.FormatterProviders.Add(new JsonValueFormatter());
        return Handlebars.Create(configuration);
    }

    private static object? ToTemplateValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => new JsonObjectValue(value),
        JsonValueKind.Array => new JsonArrayValue(value),
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number when value.TryGetInt64(out var integer) => integer,
        JsonValueKind.Number when value.TryGetDecimal(out var number) => number,
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>A JSON object as Handlebars sees it: its properties by name, and its JSON when rendered whole.</summary>
    private sealed class JsonObjectValue : Dictionary<string, object?>
    {
        private readonly string _json;

        public JsonObjectValue(JsonElement element)
            : base(StringComparer.Ordinal)
        {
            _json = element.ValueKind == JsonValueKind.Object ? element.GetRawText() : "{}";
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in element.EnumerateObject())
                {
                    this[property.Name] = ToTemplateValue(property.Value);
                }
            }
        }

        public override string ToString() => _json;
    }

    /// <summary>A JSON array as Handlebars sees it: its items for <c>#each</c>, and its JSON when rendered whole.</summary>
    private sealed class JsonArrayValue : List<object?>
    {
        private readonly string _json;

        public JsonArrayValue(JsonElement element)
            : base(element.GetArrayLength())
        {
            _json = element.GetRawText();
            foreach (var item in element.EnumerateArray())
            {
                Add(ToTemplateValue(item));
            }
        }

        public override string ToString() => _json;
    }

    /// <summary>Writes a whole object or array as its JSON; Handlebars would otherwise list its items with commas.</summary>
    private sealed class JsonValueFormatter : IFormatter, IFormatterProvider
    {
        public void Format<T>(T value, in EncodedTextWriter writer) => writer.Write(value?.ToString() ?? string.Empty, false);

        public bool TryCreateFormatter(Type type, out IFormatter formatter)
        {
            formatter = this;
            return type == typeof(JsonObjectValue) || type == typeof(JsonArrayValue);
        }
    }
}
