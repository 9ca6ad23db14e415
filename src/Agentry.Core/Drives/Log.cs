using Microsoft.Extensions.Logging;

namespace Agentry.Core.Drives;

/// <summary>The log messages of drives.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1600, Level = LogLevel.Information, Message = "Indexed drive item {ItemId} ({Path}): {ChunkCount} chunks")]
    public static partial void Indexed(ILogger logger, string itemId, string path, int chunkCount);

    [LoggerMessage(EventId = 1601, Level = LogLevel.Information, Message = "Drive item {ItemId} ({Path}) cannot be indexed: {Reason}")]
    public static partial void Unreadable(ILogger logger, string itemId, string path, string reason);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Error, Message = "Indexing drive item {ItemId} failed unexpectedly")]
    public static partial void IndexingFailed(ILogger logger, string itemId, Exception exception);

    [LoggerMessage(EventId = 1603, Level = LogLevel.Information, Message = "Resuming the indexing of {Count} drive items left processing")]
    public static partial void Resuming(ILogger logger, int count);

    [LoggerMessage(EventId = 1604, Level = LogLevel.Warning, Message = "Could not delete the drive file {Blob}; it is left on disk")]
    public static partial void BlobNotDeleted(ILogger logger, string blob, Exception exception);
}
