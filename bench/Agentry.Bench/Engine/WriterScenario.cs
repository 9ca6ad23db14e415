using System.Text.Json;
using Agentry.Core.Agents;
using Agentry.Core.Common;
using Agentry.Core.Events;
using Agentry.Core.Organizations;
using Agentry.Core.Runs;
using Agentry.Core.Storage;
using Agentry.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Agentry.Bench.Engine;

/// <summary>How the writer scenario shapes its writes.</summary>
internal enum WriterMix
{
    /// <summary>Every write appends a finished event.</summary>
    Appends,

    /// <summary>Each step appends an in-progress event and completes it in place (two writes, one event), like a tool call.</summary>
    AppendThenComplete,
}

/// <summary>What the writer scenario measured.</summary>
internal sealed record WriterResult(
    SqliteSynchronous Synchronous,
    WriterMix Mix,
    int Runs,
    double Seconds,
    double EventsPerSecond,
    double WritesPerSecond,
    double WritesPerCommit,
    double CommitsPerSecond,
    double StoreShare,
    double StoreMicrosecondsPerWrite,
    double CpuShare,
    double CpuMicrosecondsPerWrite,
    double MachineShare);

/// <summary>
/// The <see cref="EventWriter"/> over the SQLite store, no HTTP and no agent runtime: <see cref="RunCount"/> runs are created
/// and claimed by a fake lease owner, then one producer per run posts fenced event writes as a worker's event sink does,
/// keeping up to <see cref="InFlightPerRun"/> of them queued (it waits for the commit of its last write before posting more).
/// </summary>
internal static class WriterScenario
{
    public const int RunCount = 256;
    public const int InFlightPerRun = 64;
    private const string LeaseOwner = "bench-writer-owner";

    public static async Task<WriterResult> RunAsync(SqliteSynchronous synchronous, WriterMix mix, EnginePlan plan, CancellationToken cancellationToken)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "agentry-bench", Guid.NewGuid().ToString("N"));
        try
        {
            await using var store = new SqliteStore(new SqliteStoreOptions { DataSource = Path.Combine(dataDir, "agentry.db"), Synchronous = synchronous });
            await store.MigrateAsync(cancellationToken);
            var timed = new TimedRunStore(store);
            await using var writer = new EventWriter(timed, new RunEventHub(), Options.Create(new EventWriterOptions()), NullLogger<EventWriter>.Instance);
            await writer.StartAsync(cancellationToken);
            var runs = await CreateRunningRunsAsync(store, writer, cancellationToken);

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            long events = 0;
            var data = EventData();
            var producers = runs.Select(run => Task.Run(() => ProduceAsync(run, stop.Token), CancellationToken.None)).ToArray();

            await Task.Delay(plan.WarmUp, cancellationToken);
            var start = EngineSnapshot.Take(writer);
            var storeAtStart = timed.ApplyTime;
            var eventsAtStart = Interlocked.Read(ref events);
            await Task.Delay(plan.WriterWindow, cancellationToken);
            var end = EngineSnapshot.Take(writer);
            var storeTime = timed.ApplyTime - storeAtStart;
            var eventsInWindow = Interlocked.Read(ref events) - eventsAtStart;
            await stop.CancelAsync();
            await Task.WhenAll(producers);
            await writer.StopAsync(cancellationToken);

            var seconds = end.SecondsSince(start);
            var commits = end.Commits - start.Commits;
            var writes = end.Writes - start.Writes;
            return new WriterResult(
                synchronous,
                mix,
                runs.Count,
                seconds,
                eventsInWindow / seconds,
                writes / seconds,
                commits == 0 ? 0 : (double)writes / commits,
                commits / seconds,
                storeTime.TotalSeconds / seconds,
                writes == 0 ? 0 : storeTime.TotalMicroseconds / writes,
                end.CpuShareSince(start),
                writes == 0 ? double.NaN : end.CpuSince(start).TotalMicroseconds / writes,
                end.MachineShareSince(start));

            async Task ProduceAsync(Run run, CancellationToken token)
            {
                var seq = run.LastSeq;
                try
                {
                    while (!token.IsCancellationRequested)
                    {
                        RunWrite last = null!;
                        var appended = 0;
                        for (var i = 0; i < InFlightPerRun; i++)
                        {
                            var now = DateTimeOffset.UtcNow;
                            if (mix == WriterMix.Appends)
                            {
                                last = new AppendEventWrite(run.Id, LeaseOwner, new RunEventDraft(++seq, RunEventTypes.Reasoning, data, now, now));
                                appended++;
                            }
                            else if (i % 2 == 0)
                            {
                                last = new AppendEventWrite(run.Id, LeaseOwner, new RunEventDraft(++seq, RunEventTypes.ToolCall, data, now, null));
                                appended++;
                            }
                            else
                            {
                                last = new UpdateEventWrite(run.Id, LeaseOwner, seq, data, now);
                            }

                            if (i < InFlightPerRun - 1)
                            {
                                writer.Post(last);
                            }
                        }

                        // The last write of the round is awaited: the round's writes are committed (one run's writes apply in order).
                        var result = await writer.WriteAsync(last, token);
                        if (result.Outcome != RunWriteOutcome.Applied)
                        {
                            throw new InvalidOperationException($"A write of run {run.Id} was {result.Outcome}; the benchmark would measure nothing.");
                        }

                        Interlocked.Add(ref events, appended);
                    }
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    // The window is over.
                }
            }
        }
        finally
        {
            BenchServer.TryDeleteDirectory(dataDir);
        }
    }

    /// <summary>A reasoning-sized payload (about 300 bytes of JSON), like the offline model's steps.</summary>
    private static JsonElement EventData() => JsonSerializer.SerializeToElement(new
    {
        text = string.Concat(Enumerable.Repeat("The engine batches the events of many runs into one transaction. ", 4)),
        step = 3,
        tokens = new { input = 812, output = 164 },
    });

    private static async Task<IReadOnlyList<Run>> CreateRunningRunsAsync(SqliteStore store, EventWriter writer, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var ids = new IdGenerator(time);
        var now = time.GetUtcNow();
        var organization = new Organization(ids.New(IdGenerator.Prefix.Organization), "Bench", now);
        await ((IOrganizationStore)store).CreateAsync(organization, new ApiKey(ids.New(IdGenerator.Prefix.ApiKey), organization.Id, "bench", ApiKeyHasher.Hash("agentry_bench_writer_key_0123456789"), ApiScopes.All, now, null), cancellationToken);
        var config = new AgentConfig
        {
            ModelStackId = "local/offline",
            GoalPrompt = "Research {{topic}}.",
            InputSchema = JsonSerializer.SerializeToElement(new { type = "object", properties = new { topic = new { type = "string" } } }),
            ResultType = ResultType.Document,
        };
        var agentId = ids.New(IdGenerator.Prefix.Agent);
        var revision = new AgentRevision(ids.New(IdGenerator.Prefix.Revision), agentId, organization.Id, config, now);
        await ((IAgentStore)store).CreateAsync(new Agent(agentId, organization.Id, "Bench writer", null, null, true, revision.Id, null, now, now, null), revision, cancellationToken);

        var input = JsonSerializer.SerializeToElement(new { topic = "writer benchmark" });
        var creates = Enumerable.Range(0, RunCount).Select(_ => (RunWrite)RunStateMachine.Create(
            new Run
            {
                Id = ids.New(IdGenerator.Prefix.Run),
                OrganizationId = organization.Id,
                AgentId = agentId,
                RevisionId = revision.Id,
                Status = RunStatus.Pending,
                Input = input,
                ResultType = ResultType.Document,
                CreatedAt = now,
                UpdatedAt = now,
            },
            null)).ToList();
        await writer.WriteAsync(creates, cancellationToken);

        var stateMachine = new RunStateMachine(time);
        var claimed = new List<Run>(RunCount);
        while (claimed.Count < RunCount)
        {
            var batch = await store.ClaimAsync(LeaseOwner, RunCount - claimed.Count, now + TimeSpan.FromHours(1), stateMachine.Claimed(), cancellationToken);
            if (batch.Count == 0)
            {
                throw new InvalidOperationException($"Only {claimed.Count} of {RunCount} runs could be claimed.");
            }

            claimed.AddRange(batch);
        }

        return claimed;
    }
}
