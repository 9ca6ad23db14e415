using System.ComponentModel;
using Agentry.Core.Runtime;
using Agentry.Core.Storage;
using Microsoft.Extensions.AI;

namespace Agentry.Core.Drives;

/// <summary>
/// Offers <c>searchDrives</c> and <c>readDriveFile</c> to runs whose revision lists drives. Only drives that still
/// exist in the run's organization are searched; every file read becomes a source of the run
/// (<c>drive://&lt;driveId&gt;&lt;path&gt;</c>), cited by its number.
/// </summary>
public sealed class DriveToolProvider(DriveService drives, IDriveStore store) : IAgentToolProvider
{
    public const string SearchDrivesName = "searchDrives";

    public const string ReadDriveFileName = "readDriveFile";

    private const int DefaultSearchLimit = 8;

    private const string SearchDrivesDescription =
        "Searches the files of the agent's drives (documents the user provided) for any of the query's words and returns " +
        "the best matching files, best first, each with itemId, driveId, path, title, the heading and a snippet of the best passage, and a score. Hits are leads: " +
        "read a file with readDriveFile before relying on it.";

    private const string ReadDriveFileDescription =
        "Reads a file of the agent's drives, by itemId (from searchDrives) or path, and returns a window of its text with " +
        "the number to cite it by. Long files come in windows: read on from nextOffset while it is not null.";

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<AIFunction>> GetToolsAsync(RunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var wanted = context.Revision.Config.Drives.Select(d => d.DriveId).Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            return [];
        }

        var organizationId = context.Run.OrganizationId;
        var existing = await store.FindDrivesAsync(organizationId, wanted, cancellationToken);
        IReadOnlyList<string> driveIds = [.. wanted.Where(existing.Contains)];
        var sources = context.Sources;
        return
        [
            AIFunctionFactory.Create(
                ([Description("What to look for, in words.")] string query,
                 [Description("How many files to return, 1 to 50; 8 when absent.")] int? limit = null,
                 CancellationToken cancellationToken = default) =>
                    drives.SearchAsync(organizationId, driveIds, query, limit ?? DefaultSearchLimit, cancellationToken),
                SearchDrivesName,
                SearchDrivesDescription),
            AIFunctionFactory.Create(
                ([Description("The file's itemId, from searchDrives.")] string? itemId = null,
                 [Description("Or the file's path in its drive, e.g. /guides/setup.md.")] string? path = null,
                 [Description("Where to start reading, in characters; 0 when absent.")] int? offset = null,
                 [Description("How many characters to read, at most 20000; 8000 when absent.")] int? maxChars = null,
                 CancellationToken cancellationToken = default) =>
                    drives.ReadAsync(organizationId, driveIds, itemId, path, offset, maxChars, sources, cancellationToken),
                ReadDriveFileName,
                ReadDriveFileDescription),
        ];
    }
}
