using System.Text.Json;
using Agentry.Core.Agents;
using Agentry.Core.Common;

namespace Agentry.Server.Hosting;

/// <summary>
/// Creates the sample agents (<c>samples/agents/*.json</c>, each a <c>POST /v1/agents</c> body) in an
/// organization. Samples are looked for next to the app (copied there by the build) and in the content root.
/// A sample this node cannot accept (say, its model stack is not configured) is skipped with a warning.
/// </summary>
internal sealed class SampleAgentSeeder(AgentService agents, IHostEnvironment environment, ILogger<SampleAgentSeeder> logger)
{
    public async Task SeedAsync(string organizationId, CancellationToken cancellationToken)
    {
        string[] candidates =
        [
            Path.Combine(AppContext.BaseDirectory, "samples", "agents"),
            Path.Combine(environment.ContentRootPath, "samples", "agents"),
        ];
        var directory = candidates.FirstOrDefault(Directory.Exists);
        if (directory is null)
        {
            Log.NoSampleAgents(logger, candidates[0], candidates[1]);
            return;
        }

        foreach (var file in Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            try
            {
                var body = AgentryJson.Parse(await File.ReadAllTextAsync(file, cancellationToken));
                var agent = await agents.CreateAsync(organizationId, body, cancellationToken);
                Log.SeededSampleAgent(logger, agent.Id, name);
            }
            catch (Exception ex) when (ex is ProblemException or JsonException or IOException)
            {
                Log.SkippedSampleAgent(logger, name, ex.Message);
            }
        }
    }
}
