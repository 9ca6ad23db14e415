using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Agentry.Core.Models;

/// <summary>
/// Reads <see cref="ModelsOptions"/> from configuration by hand: the shape is small, and reading it directly keeps
/// reflection-based binding (and its package) out of the core. Values that do not parse are kept as
/// <see cref="ModelsOptions.BindingErrors"/> for the validator to report at start.
/// </summary>
internal static class ModelsOptionsBinder
{
    public static void Bind(IConfiguration section, ModelsOptions options)
    {
        foreach (var stackSection in section.GetSection("Stacks").GetChildren())
        {
            var key = $"{ModelsOptions.SectionName}:Stacks:{stackSection.Key}";
            options.Stacks[stackSection.Key] = new ModelStackOptions
            {
                Provider = Text(stackSection, "Provider"),
                Model = Text(stackSection, "Model"),
                Endpoint = ParseUri(stackSection, "Endpoint", key, options.BindingErrors),
                ApiKey = Text(stackSection, "ApiKey"),
                ApiKeyEnvironmentVariable = Text(stackSection, "ApiKeyEnvironmentVariable"),
                InputPricePerMillion = ParseDecimal(stackSection, "InputPricePerMillion", key, options.BindingErrors) ?? 0m,
                OutputPricePerMillion = ParseDecimal(stackSection, "OutputPricePerMillion", key, options.BindingErrors) ?? 0m,
                StepDelayMs = ParseInt(stackSection, "StepDelayMs", key, options.BindingErrors) ?? 0,
                ContextWindowTokens = ParseInt(stackSection, "ContextWindowTokens", key, options.BindingErrors),
            };
        }

        foreach (var alias in section.GetSection("Aliases").GetChildren())
        {
            options.Aliases[alias.Key] = alias.Value ?? string.Empty;
        }

        var retry = section.GetSection("Retry");
        var retryKey = $"{ModelsOptions.SectionName}:Retry";
        options.Retry.MaxAttempts = ParseInt(retry, "MaxAttempts", retryKey, options.BindingErrors) ?? options.Retry.MaxAttempts;
        options.Retry.BaseDelayMs = ParseInt(retry, "BaseDelayMs", retryKey, options.BindingErrors) ?? options.Retry.BaseDelayMs;
        options.Retry.MaxDelayMs = ParseInt(retry, "MaxDelayMs", retryKey, options.BindingErrors) ?? options.Retry.MaxDelayMs;
        options.RequestTimeoutSeconds = ParseInt(section, "RequestTimeoutSeconds", ModelsOptions.SectionName, options.BindingErrors) ?? options.RequestTimeoutSeconds;
    }

    private static string? Text(IConfiguration section, string name) => string.IsNullOrWhiteSpace(section[name]) ? null : section[name]!.Trim();

    private static decimal? ParseDecimal(IConfiguration section, string name, string key, List<string> errors)
    {
        if (Text(section, name) is not { } text)
        {
            return null;
        }

        if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add($"{key}:{name} must be a number (was '{text}').");
        return null;
    }

    private static int? ParseInt(IConfiguration section, string name, string key, List<string> errors)
    {
        if (Text(section, name) is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add($"{key}:{name} must be a whole number (was '{text}').");
        return null;
    }

    private static Uri? ParseUri(IConfiguration section, string name, string key, List<string> errors)
    {
        if (Text(section, name) is not { } text)
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var value))
        {
            return value;
        }

        errors.Add($"{key}:{name} must be an absolute URI (was '{text}').");
        return null;
    }
}
