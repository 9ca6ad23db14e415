using System.Net;
using Agentry.Core.Tools.Search;
using Microsoft.Extensions.Options;

namespace Agentry.Core.Tools;

/// <summary>Refuses to start with tool settings that do not parse, naming each one.</summary>
internal sealed class ToolsOptionsValidator : IValidateOptions<ToolsOptions>
{
    public ValidateOptionsResult Validate(string? name, ToolsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>(options.BindingErrors);
        foreach (var network in options.Browse.AllowedNetworks)
        {
            if (!IPNetwork.TryParse(network, out _))
            {
                errors.Add($"{ToolsOptions.SectionName}:Browse:AllowedNetworks has '{network}', which is not a network in CIDR notation (e.g. 10.1.0.0/16).");
            }
        }

        errors.AddRange(SearchProviders.Problems(options.Search));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
