using Agentry.Core.Models;
using Microsoft.Extensions.AI;

namespace Agentry.Core.Tests.Fakes;

/// <summary>A model provider named <c>scripted</c> whose stacks all answer through one given client.</summary>
public sealed class ScriptedModelProvider(IChatClient client) : IModelProvider
{
    public string Name => "scripted";

    public string DefaultModel => "scripted-model";

    public ModelClientResult CreateClient(string stackId, string model, ModelStackOptions options) => ModelClientResult.Created(client);
}
