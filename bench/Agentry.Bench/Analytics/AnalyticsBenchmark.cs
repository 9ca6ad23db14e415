using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Agentry.Core.Agents;
using Agentry.Core.Analytics;
using Agentry.Core.Common;
using Agentry.Core.Events;
using Agentry.Core.Runs;
using Agentry.Core.Storage;
using Agentry.Sqlite;

namespace Agentry.Bench.Analytics;

/// <summary>
/// <c>analytics [--quick] [--runs N] [--live N]</c>: seeds a fresh SQLite store with 1,000,000 finished runs (100,000
/// with <c>--quick</c>) spread over 90 days, 50 agents with 3 revisions each and 2 models. The older runs are stored
/// finished in bulk and their rollups built by <see cref="SqliteStore.RebuildRollupsAsync"/> (the code of
/// <c>analytics rebuild</c>, timed); the newest <c>--live</c> runs (default 100,000) go through the real write path —
/// create, claim, a tool-call event for half of them, complete or fail — so each updates its rollup cell in the
/// transaction that ends it. Then it times the analytics queries as the API answers them (<see cref="AnalyticsService"/>
/// and JSON serialization). Prints the Markdown of docs/benchmarks.md.
/// </summary>
internal static class AnalyticsBenchmark
{
    private const int Agents = 50;
    private const int RevisionsPerAgent = 3;
    private const int BatchSize = 2000;
    private const int QueriesPerKind = 300;
    private const string LeaseOwner = "bench-analytics";
    private static readonly TimeSpan History = TimeSpan.FromDays(90);
    private static readonly DateTimeOffset HistoryStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Models = ["model-a", "model-b"];

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick", StringComparer.Ordinal);
        var runCount = Array.IndexOf(args, "--runs") is var i and >= 0 && i + 1 < args.Length
            ? int.Parse(args[i + 1], CultureInfo.InvariantCulture)
            : quick ? 100_000 : 1_000_000;
        var liveCount = Array.IndexOf(args, "--live") is var l and >= 0 && l + 1 < args.Length
            ? int.Parse(args[l + 1], CultureInfo.InvariantCulture)
            : Math.Min(100_000, runCount / 2);
        var directory = Directory.CreateTempSubdirectory("agentry-bench-analytics-");
        try
        {
            Console.WriteLine($"Analytics benchmark: {runCount:N0} runs, {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}.");
            var clock = new BenchClock(HistoryStart);
            var store = new SqliteStore(new SqliteStoreOptions { DataSource = Path.Combine(directory.FullName, "agentry.db") });
            await using (store)
            {
                await store.MigrateAsync();
                var agents = await CreateAgentsAsync(store, clock);
                var seeding = await SeedAsync(store, clock, agents, runCount, liveCount);
                var size = new FileInfo(Path.Combine(directory.FullName, "agentry.db")).Length;
                var rows = await CountRollupRowsAsync(Path.Combine(directory.FullName, "agentry.db"));

                var service = new AnalyticsService(store, store, clock);
                var organization = agents[0].Agent.OrganizationId;
                var random = new Random(7);
                AgentSetup Pick() => agents[random.Next(agents.Count)];
                var to = JsonString(HistoryStart + History);
                var from = JsonString(HistoryStart + History - TimeSpan.FromDays(30));
                var timings = new List<(string Name, List<double> Milliseconds, long Runs)>
                {
                    await TimeAsync("agent, 30 days, bucket=day, UTC", ct => service.GetAgentReportAsync(organization, Pick().Agent.Id, new AnalyticsParameters(from, to, "day", null), null, null, ct)),
                    await TimeAsync("agent, 30 days, bucket=hour, Asia/Kolkata", ct => service.GetAgentReportAsync(organization, Pick().Agent.Id, new AnalyticsParameters(from, to, "hour", "Asia/Kolkata"), null, null, ct)),
                    await TimeAsync("agent, 30 days, one revision and model", ct =>
                    {
                        var agent = Pick();
                        return service.GetAgentReportAsync(organization, agent.Agent.Id, new AnalyticsParameters(from, to, "day", null), agent.Revisions[^1].Id, Models[0], ct);
                    }),
                    await TimeAsync("agent revisions side by side, 30 days", ct => service.CompareRevisionsAsync(organization, Pick().Agent.Id, new AnalyticsParameters(from, to, null, null), ct)),
                    await TimeAsync("overview (all 50 agents), 30 days, bucket=day", ct => service.GetOverviewAsync(organization, new AnalyticsParameters(from, to, "day", null), ct), count: QueriesPerKind / 5),
                };

                var rebuild = Stopwatch.StartNew();
                var rebuilt = await store.RebuildRollupsAsync(CancellationToken.None);
                rebuild.Stop();

                Console.WriteLine();
                Console.WriteLine(Report(runCount, liveCount, seeding, size, rows, timings, rebuild.Elapsed, rebuilt));
            }

            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private static async Task<(string Name, List<double> Milliseconds, long Runs)> TimeAsync<T>(string name, Func<CancellationToken, Task<T>> query, int count = QueriesPerKind)
    {
        Console.WriteLine($"Timing: {name} …");
        long runs = 0;
        for (var i = 0; i < 20; i++)
        {
            // Warm-up: JIT, the page cache and the reader pool.
            JsonSerializer.SerializeToUtf8Bytes(await query(CancellationToken.None), AgentryJson.Options);
        }

        var times = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var watch = Stopwatch.StartNew();
            var answer = await query(CancellationToken.None);
            var bytes = JsonSerializer.SerializeToUtf8Bytes(answer, AgentryJson.Options);
            watch.Stop();
            times.Add(watch.Elapsed.TotalMilliseconds);
            runs += answer switch
            {
                AnalyticsReport report => report.Total.Runs,
                RevisionComparison comparison => comparison.Items.Sum(static r => r.Total.Runs),
                _ => 0,
            };
            _ = bytes.Length;
        }

        return (name, times, runs / count);
    }

    private sealed record AgentSetup(Agent Agent, IReadOnlyList<AgentRevision> Revisions);

    private static async Task<List<AgentSetup>> CreateAgentsAsync(SqliteStore store, BenchClock clock)
    {
        var ids = new IdGenerator(clock);
        var organizationId = ids.New(IdGenerator.Prefix.Organization);
        var config = new AgentConfig
        {
            ModelStackId = "local/offline",
            GoalPrompt = "Research {{topic}}.",
            InputSchema = JsonSerializer.SerializeToElement(new { type = "object", properties = new { topic = new { type = "string" } } }),
            ResultType = ResultType.Document,
        };
        var agents = new List<AgentSetup>(Agents);
        IAgentStore agentStore = store;
        for (var a = 0; a < Agents; a++)
        {
            var now = clock.GetUtcNow();
            var agentId = ids.New(IdGenerator.Prefix.Agent);
            var revisions = new List<AgentRevision> { new(ids.New(IdGenerator.Prefix.Revision), agentId, organizationId, config, now) };
            var agent = new Agent(agentId, organizationId, $"Bench agent {a}", null, null, true, revisions[0].Id, null, now, now, null);
            await agentStore.CreateAsync(agent, revisions[0], CancellationToken.None);
            for (var r = 1; r < RevisionsPerAgent; r++)
            {
                var revision = new AgentRevision(ids.New(IdGenerator.Prefix.Revision), agentId, organizationId, config with { GoalPrompt = $"Research {{{{topic}}}} ({r})." }, now);
                var updated = agent with { LatestRevisionId = revision.Id, UpdatedAt = agent.UpdatedAt.AddMilliseconds(1) };
                await agentStore.UpdateAsync(updated, revision, agent.UpdatedAt, CancellationToken.None);
                agent = updated;
                revisions.Add(revision);
            }

            agents.Add(new AgentSetup(agent, revisions));
        }

        return agents;
    }

    private sealed record SeedResult(TimeSpan Bulk, TimeSpan FirstRebuild, TimeSpan Live, long Feedback);

    /// <summary>Batches of runs in time order; each run picks an agent, the revision live at its creation time, and a model.</summary>
    private static async Task<SeedResult> SeedAsync(SqliteStore store, BenchClock clock, List<AgentSetup> agents, int runCount, int liveCount)
    {
        var ids = new IdGenerator(clock);
        var stateMachine = new RunStateMachine(clock);
        var random = new Random(42);
        var input = JsonSerializer.SerializeToElement(new { topic = "analytics benchmark" });
        var batches = (runCount + BatchSize - 1) / BatchSize;
        var window = History / batches;
        var bulkBatches = (runCount - liveCount) / BatchSize;
        var watch = Stopwatch.StartNew();
        TimeSpan bulk = default, firstRebuild = default;
        long feedback = 0;
        for (var b = 0; b < batches; b++)
        {
            var windowStart = HistoryStart + (window * b);
            clock.Set(windowStart);
            var size = Math.Min(BatchSize, runCount - (b * BatchSize));
            if (b < bulkBatches)
            {
                await StoreFinishedAsync(store, ids, agents, random, windowStart, window, size);
                if (b == bulkBatches - 1)
                {
                    bulk = watch.Elapsed;
                    Console.WriteLine($"  stored {(b + 1) * BatchSize:N0} finished runs in bulk in {bulk.TotalSeconds:0} s; building their rollups …");
                    await store.RebuildRollupsAsync(CancellationToken.None);
                    firstRebuild = watch.Elapsed - bulk;
                    watch.Restart();
                }

                continue;
            }

            var creates = new List<RunWrite>(size);
            for (var r = 0; r < size; r++)
            {
                var setup = agents[random.Next(agents.Count)];
                var createdAt = windowStart + (window * random.NextDouble());
                var revision = setup.Revisions[Math.Min(RevisionsPerAgent - 1, (int)((createdAt - HistoryStart) / (History / RevisionsPerAgent)))];
                creates.Add(RunStateMachine.Create(
                    new Run
                    {
                        Id = ids.New(IdGenerator.Prefix.Run),
                        OrganizationId = setup.Agent.OrganizationId,
                        AgentId = setup.Agent.Id,
                        RevisionId = revision.Id,
                        Status = RunStatus.Pending,
                        Input = input,
                        ResultType = ResultType.Document,
                        CreatedAt = createdAt,
                        UpdatedAt = createdAt,
                    },
                    null));
            }

            await store.ApplyAsync(creates, CancellationToken.None);
            var claimedAt = windowStart + window + TimeSpan.FromMilliseconds(random.Next(0, 5000));
            clock.Set(claimedAt);
            var claimed = new List<Run>(size);
            while (claimed.Count < size)
            {
                claimed.AddRange(await store.ClaimAsync(LeaseOwner, size - claimed.Count, claimedAt + TimeSpan.FromHours(1), stateMachine.Claimed(), CancellationToken.None));
            }

            var ends = new List<RunWrite>(size * 2);
            var scored = new List<string>();
            foreach (var run in claimed)
            {
                var seq = run.LastSeq + 1;
                var withTool = random.Next(2) == 0;
                if (withTool)
                {
                    var failed = random.Next(10) == 0;
                    var data = failed
                        ? AgentryJson.ToElement(new { id = "call_1", name = "searchWeb", input = new { query = "q" }, error = "timed out" })
                        : AgentryJson.ToElement(new { id = "call_1", name = "searchWeb", input = new { query = "q" }, output = new { results = 3 } });
                    ends.Add(new AppendEventWrite(run.Id, LeaseOwner, new RunEventDraft(seq++, RunEventTypes.ToolCall, data, claimedAt, claimedAt)));
                }

                // Durations log-normal around 3 s: most runs take seconds, a tail takes minutes.
                clock.Set(claimedAt + TimeSpan.FromMilliseconds(Math.Exp(Math.Log(3000) + (Normal(random) * 1.0))));
                var inputTokens = 500 + random.Next(4000);
                var output = 100 + random.Next(1000);
                var usage = new RunUsage(inputTokens, output, inputTokens + output, ((inputTokens * 0.15m) + (output * 0.60m)) / 1_000_000m, 3, withTool ? 1 : 0);
                var model = Models[random.Next(Models.Length)];
                ends.Add(random.Next(20) == 0
                    ? stateMachine.Fail(run.Id, LeaseOwner, seq, new RunError(RunErrorCodes.ModelError, "The model failed.", seq), usage, model)
                    : stateMachine.Complete(run.Id, LeaseOwner, seq, AgentryJson.ToElement(new { result = "done" }), [], usage, model));
                if (random.Next(100) == 0)
                {
                    scored.Add(run.Id);
                }
            }

            await store.ApplyAsync(ends, CancellationToken.None);
            foreach (var runId in scored)
            {
                var at = clock.GetUtcNow();
                await store.SetFeedbackAsync(agents[0].Agent.OrganizationId, new RunFeedback(runId, "accuracy", random.Next(5) / 4.0, null, at, at), CancellationToken.None);
                feedback++;
            }

            if ((b + 1) % 10 == 0 || b == batches - 1)
            {
                Console.WriteLine($"  {Math.Min((b + 1) * BatchSize, runCount):N0} runs stored, the live ones in {watch.Elapsed.TotalSeconds:0} s");
            }
        }

        return new SeedResult(bulk, firstRebuild, watch.Elapsed, feedback);
    }

    /// <summary>Stores a batch of runs as they look once finished (one insert each, with a status event), without rollups.</summary>
    private static async Task StoreFinishedAsync(SqliteStore store, IdGenerator ids, List<AgentSetup> agents, Random random, DateTimeOffset windowStart, TimeSpan window, int size)
    {
        var input = JsonSerializer.SerializeToElement(new { topic = "analytics benchmark" });
        var result = AgentryJson.ToElement(new { result = "done" });
        var claimedAt = windowStart + window + TimeSpan.FromMilliseconds(random.Next(0, 5000));
        var creates = new List<RunWrite>(size);
        for (var r = 0; r < size; r++)
        {
            var setup = agents[random.Next(agents.Count)];
            var createdAt = windowStart + (window * random.NextDouble());
            var revision = setup.Revisions[Math.Min(RevisionsPerAgent - 1, (int)((createdAt - HistoryStart) / (History / RevisionsPerAgent)))];
            var completedAt = claimedAt + TimeSpan.FromMilliseconds(Math.Exp(Math.Log(3000) + Normal(random)));
            var inputTokens = 500 + random.Next(4000);
            var output = 100 + random.Next(1000);
            var failed = random.Next(20) == 0;
            var status = failed ? RunStatus.Error : RunStatus.Done;
            var run = new Run
            {
                Id = ids.New(IdGenerator.Prefix.Run),
                OrganizationId = setup.Agent.OrganizationId,
                AgentId = setup.Agent.Id,
                RevisionId = revision.Id,
                Status = status,
                Input = input,
                Error = failed ? new RunError(RunErrorCodes.ModelError, "The model failed.", 1) : null,
                ResultType = ResultType.Document,
                ResultData = failed ? null : result,
                Usage = new RunUsage(inputTokens, output, inputTokens + output, ((inputTokens * 0.15m) + (output * 0.60m)) / 1_000_000m, 3, 0),
                Model = Models[random.Next(Models.Length)],
                Attempt = 1,
                CreatedAt = createdAt,
                StartedAt = claimedAt,
                CompletedAt = completedAt,
                UpdatedAt = completedAt,
            };
            var statusEvent = new RunEventDraft(1, RunEventTypes.Status, AgentryJson.ToElement(new { status }), completedAt, completedAt);
            creates.Add(new CreateRunWrite(run, statusEvent, null));
        }

        await store.ApplyAsync(creates, CancellationToken.None);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static async Task<long> CountRollupRowsAsync(string path)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = path, Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly };
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(builder.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM analytics_rollups";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static string JsonString(DateTimeOffset time) => AgentryJson.FormatTime(time);

    private static string Report(int runs, int live, SeedResult seeding, long bytes, long rows, List<(string Name, List<double> Milliseconds, long Runs)> timings, TimeSpan rebuild, long rebuilt)
    {
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"### Analytics queries at {runs:N0} stored runs");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"{runs - live:N0} older runs stored finished in bulk in {seeding.Bulk.TotalSeconds:0} s and their rollups built in {seeding.FirstRebuild.TotalSeconds:0} s; the newest {live:N0} through the live write path in {seeding.Live.TotalSeconds:0} s ({live / seeding.Live.TotalSeconds:N0} runs/s, each created, claimed and ended in batches of {BatchSize:N0}, half with a tool-call event, {seeding.Feedback:N0} feedback scores). Database {bytes / 1024.0 / 1024.0:N0} MB, {rows:N0} rollup cells.");
        report.AppendLine();
        report.AppendLine("| query | runs covered (mean) | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | queries |");
        report.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, times, covered) in timings)
        {
            times.Sort();
            report.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {covered:N0} | {Percentile(times, 0.50):0.0} | {Percentile(times, 0.95):0.0} | {Percentile(times, 0.99):0.0} | {times[^1]:0.0} | {times.Count} |");
        }

        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Rebuilding every rollup from the runs table (`analytics rebuild`): {rebuild.TotalSeconds:0.0} s for {rebuilt:N0} finished runs.");
        return report.ToString();
    }

    private static double Percentile(List<double> sorted, double q) => sorted[(int)Math.Max(0, Math.Ceiling(q * sorted.Count) - 1)];

    /// <summary>A clock the seeding sets to each run's times (creation, claim, end).</summary>
    private sealed class BenchClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Set(DateTimeOffset time) => _now = time;
    }
}
