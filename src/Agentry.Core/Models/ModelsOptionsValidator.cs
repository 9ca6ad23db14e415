using Microsoft.Extensions.Options;

namespace Agentry.Core.Models;

/// <summary>
/// Refuses model configuration that can never be right (negative prices or delays, aliases that clash with
/// stacks) at start. An unknown provider is not refused: that stack is listed as unavailable with the reason.
/// </summary>
internal sealed class ModelsOptionsValidator : IValidateOptions<ModelsOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>(options.BindingErrors);
        foreach (var (id, stack) in options.Stacks)
        {
            var key = $"{ModelsOptions.SectionName}:Stacks:{id}";
            if (string.IsNullOrWhiteSpace(id))
            {
                failures.Add($"{ModelsOptions.SectionName}:Stacks has a stack with an empty id.");
            }

            if (stack.InputPricePerMillion < 0)
            {
                failures.Add($"{key}:InputPricePerMillion must be >= 0 (was {stack.InputPricePerMillion}).");
            }

            if (stack.OutputPricePerMillion < 0)
            {
                failures.Add($"{key}:OutputPricePerMillion must be >= 0 (was {stack.OutputPricePerMillion}).");
            }

            if (stack.StepDelayMs < 0)
            {
                failures.Add($"{key}:StepDelayMs must be >= 0 (was {stack.StepDelayMs}).");
            }

            if (stack.ContextWindowTokens is <= 0)
            {
                failures.Add($"{key}:ContextWindowTokens must be > 0 when set (was {stack.ContextWindowTokens}).");
            }
        }

        if (options.Retry.MaxAttempts < 1)
        {
            failures.Add($"{ModelsOptions.SectionName}:Retry:MaxAttempts must be >= 1 (was {options.Retry.MaxAttempts}).");
        }

        if (options.Retry.BaseDelayMs < 0)
        {
            failures.Add($"{ModelsOptions.SectionName}:Retry:BaseDelayMs must be >= 0 (was {options.Retry.BaseDelayMs}).");
        }

        if (options.Retry.MaxDelayMs < options.Retry.BaseDelayMs)
        {
            failures.Add($"{ModelsOptions.SectionName}:Retry:MaxDelayMs must be >= BaseDelayMs (was {options.Retry.MaxDelayMs}).");
        }

        if (options.RequestTimeoutSeconds < 1)
        {
            failures.Add($"{ModelsOptions.SectionName}:RequestTimeoutSeconds must be >= 1 (was {options.RequestTimeoutSeconds}).");
        }

        foreach (var (alias, target) in options.Aliases)
        {
            if (options.Stacks.ContainsKey(alias) || ModelStackRegistry.BuiltInStackIds.Contains(alias))
            {
                failures.Add($"{ModelsOptions.SectionName}:Aliases:{alias} has the id of a model stack; an alias needs a name of its own.");
            }

            if (string.IsNullOrWhiteSpace(target))
            {
                failures.Add($"{ModelsOptions.SectionName}:Aliases:{alias} names no model stack.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
