using Agentry.Core.Common;
using Agentry.Core.Drives;

namespace Agentry.Core.Storage;

/// <summary>
/// Drives, their items and the full-text index of the items' text. Every call that takes an organization is scoped
/// to it, so another organization's drives and items are absent. The indexing calls (<see cref="GetItemForIndexingAsync"/>,
/// <see cref="CompleteIndexingAsync"/>, …) serve the background indexer, which works for every organization.
/// </summary>
public interface IDriveStore
{
    Task CreateDriveAsync(Drive drive, CancellationToken cancellationToken);

    Task<Drive?> GetDriveAsync(string organizationId, string driveId, CancellationToken cancellationToken);

    /// <summary>The organization's drives, newest first.</summary>
    Task<Page<Drive>> ListDrivesAsync(string organizationId, PageRequest page, CancellationToken cancellationToken);

    /// <summary>Which of <paramref name="driveIds"/> are drives of the organization.</summary>
    Task<IReadOnlySet<string>> FindDrivesAsync(string organizationId, IReadOnlyCollection<string> driveIds, CancellationToken cancellationToken);

    /// <summary>Deletes the drive with its items and their index; answers the deleted items' blobs, or null when there was no such drive.</summary>
    Task<IReadOnlyList<string>?> DeleteDriveAsync(string organizationId, string driveId, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="item"/>, or — when its drive already has an item at the same path — replaces that item's
    /// content in place, keeping the stored item's id and creation time and dropping its index. Answers the item as
    /// stored and the blob it replaced (null for a new path).
    /// </summary>
    Task<(DriveItem Item, string? ReplacedBlob)> PutItemAsync(DriveItem item, CancellationToken cancellationToken);

    Task<DriveItem?> GetItemAsync(string organizationId, string driveId, string itemId, CancellationToken cancellationToken);

    /// <summary>The item with <paramref name="itemId"/> in any of <paramref name="driveIds"/> of the organization.</summary>
    Task<DriveItem?> FindItemAsync(string organizationId, IReadOnlyCollection<string> driveIds, string itemId, CancellationToken cancellationToken);

    /// <summary>The item at <paramref name="path"/> in the first of <paramref name="driveIds"/> (in their order) that has one.</summary>
    Task<DriveItem?> FindItemByPathAsync(string organizationId, IReadOnlyList<string> driveIds, string path, CancellationToken cancellationToken);

    /// <summary>The drive's items ordered by path.</summary>
    Task<Page<DriveItem>> ListItemsAsync(string organizationId, string driveId, PageRequest page, CancellationToken cancellationToken);

    /// <summary>Deletes the item and its index; answers its blob, or null when there was no such item.</summary>
    Task<string?> DeleteItemAsync(string organizationId, string driveId, string itemId, CancellationToken cancellationToken);

    /// <summary>The ids of every item (of every organization) still <see cref="DriveItemStatus.Processing"/>, oldest first.</summary>
    Task<IReadOnlyList<string>> ListProcessingItemIdsAsync(CancellationToken cancellationToken);

    /// <summary>The item with <paramref name="itemId"/>, whatever its organization; null when it is gone.</summary>
    Task<DriveItem?> GetItemForIndexingAsync(string itemId, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the item ready with its title, summary and chunks — only if it is still processing <paramref name="blob"/>
    /// (not deleted or replaced meanwhile). False when it was not.
    /// </summary>
    Task<bool> CompleteIndexingAsync(string itemId, string blob, string? title, string? summary, IReadOnlyList<DriveChunk> chunks, CancellationToken cancellationToken);

    /// <summary>Marks the item failed with <paramref name="reason"/>, under the same condition as <see cref="CompleteIndexingAsync"/>.</summary>
    Task<bool> FailIndexingAsync(string itemId, string blob, string reason, CancellationToken cancellationToken);

    /// <summary>
    /// Full-text search over the ready items of <paramref name="driveIds"/>: <paramref name="matchQuery"/> is an FTS5
    /// query; at most <paramref name="limit"/> hits, one per item (its best chunk), best first.
    /// </summary>
    Task<IReadOnlyList<DriveSearchHit>> SearchAsync(string organizationId, IReadOnlyCollection<string> driveIds, string matchQuery, int limit, CancellationToken cancellationToken);

    /// <summary>The item's indexed chunks in order; empty when it has none (not ready, or no text).</summary>
    Task<IReadOnlyList<DriveChunk>> GetChunksAsync(string organizationId, string itemId, CancellationToken cancellationToken);
}
