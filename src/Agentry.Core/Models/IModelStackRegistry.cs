namespace Agentry.Core.Models;

/// <summary>The model stacks of this node, built from configuration (<see cref="ModelsOptions"/>) at start.</summary>
public interface IModelStackRegistry
{
    /// <summary>
    /// Resolves a stack id or alias. Never throws for an unknown id: the resolution is unavailable with a reason
    /// that names the problem (unknown stack, unknown provider, missing key, …).
    /// </summary>
    ModelStackResolution Resolve(string stackId);

    /// <summary>Every stack and alias, ordered by id, with whether it is available and why not.</summary>
    IReadOnlyList<ModelStackInfo> Describe();
}
