using System.Text.Json;
using System.Text.Json.Nodes;
using Agentry.Core.Agents;
using Agentry.Core.Common;
using Agentry.Core.Drives;

namespace Agentry.Server.Hosting;

/// <summary>
/// Creates the samples in an organization: first the sample drives — each folder of <c>samples/drives/</c> becomes a
/// drive (<c>agentry-docs</c> → "Agentry docs") holding its files, indexed before the agents are made — then the
/// sample agents (<c>samples/agents/*.json</c>, each a <c>POST /v1/agents</c> body, where a <c>driveId</c> of
/// <c>sample:&lt;folder&gt;</c> names a sample drive). Samples are looked for next to the app (copied there by the build)
/// and in the content root. A sample this node cannot accept (say, its model stack is not configured) is skipped
/// with a warning.
/// </summary>
internal sealed class SampleAgentSeeder(
    AgentService agents,
    DriveService drives,
    DriveFileStore files,
    DriveIndexer indexer,
    IHostEnvironment environment,
    ILogger<SampleAgentSeeder> logger)
{
    /// <summary>How a sample agent names a sample drive: this prefix and the drive's folder name.</summary>
    public const string SampleDrivePrefix = "sample:";

    public async Task SeedAsync(string organizationId, CancellationToken cancellationToken)
    {
        var sampleDrives = await SeedDrivesAsync(organizationId, cancellationToken);
        var candidates = Candidates("agents");
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
                var body = JsonNode.Parse(await File.ReadAllTextAsync(file, cancellationToken)) ?? throw new JsonException("The file holds JSON null.");
                foreach (var drive in body["drives"]?.AsArray() ?? [])
                {
                    if (drive?["driveId"]?.GetValue<string>() is { } driveId
                        && driveId.StartsWith(SampleDrivePrefix, StringComparison.Ordinal)
                        && sampleDrives.TryGetValue(driveId[SampleDrivePrefix.Length..], out var seededId))
                    {
                        drive["driveId"] = seededId;
                    }
                }

                var agent = await agents.CreateAsync(organizationId, JsonSerializer.SerializeToElement(body, AgentryJson.Options), cancellationToken);
                Log.SeededSampleAgent(logger, agent.Id, name);
            }
            catch (Exception ex) when (ex is ProblemException or JsonException or IOException or InvalidOperationException)
            {
                Log.SkippedSampleAgent(logger, name, ex.Message);
            }
        }
    }

    /// <summary>Creates a drive per folder of <c>samples/drives</c>, uploads and indexes its files; answers folder → drive id.</summary>
    private async Task<Dictionary<string, string>> SeedDrivesAsync(string organizationId, CancellationToken cancellationToken)
    {
        var seeded = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Candidates("drives").FirstOrDefault(Directory.Exists) is not { } root)
        {
            return seeded;
        }

        foreach (var folder in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            var key = Path.GetFileName(folder);
            var drive = await drives.CreateDriveAsync(organizationId, new CreateDriveRequest(DriveName(key)), cancellationToken);
            seeded[key] = drive.Id;
            foreach (var file in Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var path = "/" + Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/');
                try
                {
                    (string Blob, long Size) saved;
                    await using (var content = File.OpenRead(file))
                    {
                        saved = await files.SaveAsync(drive.Id, content, drives.MaxUploadBytes, cancellationToken);
                    }

                    var item = await drives.AddItemAsync(organizationId, drive.Id, new DriveUpload(path, Path.GetFileName(file), null, null, null, saved.Blob, saved.Size), cancellationToken);
                    // Indexed now rather than in the background, so the sample agents find the files from the first request on.
                    await indexer.IndexAsync(item.Id, cancellationToken);
                }
                catch (Exception ex) when (ex is ProblemException or IOException)
                {
                    Log.SkippedSampleFile(logger, path, key, ex.Message);
                }
            }

            Log.SeededSampleDrive(logger, drive.Id, key);
        }

        return seeded;
    }

    private string[] Candidates(string kind) =>
        [Path.Combine(AppContext.BaseDirectory, "samples", kind), Path.Combine(environment.ContentRootPath, "samples", kind)];

    /// <summary><c>agentry-docs</c> → "Agentry docs".</summary>
    private static string DriveName(string folder)
    {
        var words = folder.Replace('_', '-').Split('-', StringSplitOptions.RemoveEmptyEntries);
        var name = string.Join(' ', words);
        return name.Length == 0 ? folder : char.ToUpperInvariant(name[0]) + name[1..];
    }
}
