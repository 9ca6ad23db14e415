using System.Threading.Channels;
using Agentry.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agentry.Core.Drives;

/// <summary>
/// Indexes drive items: extracts the text of the item's current blob, chunks it, and stores the chunks, title and
/// summary in one write — which the store applies only if the item still holds that blob, so a file replaced or
/// deleted while it was being read is never indexed with stale text. A file that cannot be read ends in
/// <see cref="DriveItemStatus.Error"/> with the reason.
/// </summary>
public sealed class DriveIndexer(IDriveStore store, DriveFileStore files, ILogger<DriveIndexer> logger)
{
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = false });

    /// <summary>Asks for <paramref name="itemId"/> to be indexed in the background.</summary>
    public void Enqueue(string itemId) => _queue.Writer.TryWrite(itemId);

    /// <summary>The queue the background service reads.</summary>
    internal ChannelReader<string> Queue => _queue.Reader;

    /// <summary>Indexes <paramref name="itemId"/> now if it is still processing; does nothing otherwise.</summary>
    public async Task IndexAsync(string itemId, CancellationToken cancellationToken)
    {
        var item = await store.GetItemForIndexingAsync(itemId, cancellationToken);
        if (item is not { Status: DriveItemStatus.Processing })
        {
            return;
        }

        try
        {
            DriveDocument document;
            await using (var content = files.OpenRead(item.Blob))
            {
                document = await DriveTextExtractor.ExtractAsync(content, item.ContentType, item.Name, cancellationToken);
            }

            var chunks = DriveChunker.Chunk(document);
            if (await store.CompleteIndexingAsync(item.Id, item.Blob, document.Title, DriveChunker.Summarize(document), chunks, cancellationToken))
            {
                Log.Indexed(logger, item.Id, item.Path, chunks.Count);
            }
        }
        catch (DriveExtractionException exception)
        {
            Log.Unreadable(logger, item.Id, item.Path, exception.Message);
            await store.FailIndexingAsync(item.Id, item.Blob, exception.Message, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            // The blob went with a replacement or a delete between the read of the row and the open; the newer state wins.
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.IndexingFailed(logger, item.Id, exception);
            await store.FailIndexingAsync(item.Id, item.Blob, $"The file could not be indexed: {exception.Message}", cancellationToken);
        }
    }
}

/// <summary>
/// The background service that runs <see cref="DriveIndexer"/> off the request path, at most
/// <see cref="DrivesOptions.IndexingConcurrency"/> files at once. At start it queues every item still processing, so
/// uploads interrupted by a stop or crash are indexed after the restart.
/// </summary>
public sealed class DriveIndexingService(DriveIndexer indexer, IDriveStore store, IOptions<DrivesOptions> options, ILogger<DriveIndexingService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pending = await store.ListProcessingItemIdsAsync(stoppingToken);
        if (pending.Count > 0)
        {
            Log.Resuming(logger, pending.Count);
            foreach (var itemId in pending)
            {
                indexer.Enqueue(itemId);
            }
        }

        var workers = Enumerable.Range(0, options.Value.IndexingConcurrency).Select(_ => WorkAsync(stoppingToken));
        await Task.WhenAll(workers);
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var itemId in indexer.Queue.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await indexer.IndexAsync(itemId, stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The store failed even to record the failure; the item stays processing and is retried at the next start.
                    Log.IndexingFailed(logger, itemId, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: an item cut short stays processing and is queued again at the next start.
        }
    }
}
