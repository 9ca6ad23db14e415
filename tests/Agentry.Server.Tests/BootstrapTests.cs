using System.Net;
using Agentry.Server.Tests.Infrastructure;

namespace Agentry.Server.Tests;

public sealed class BootstrapTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "agentry-server-tests", Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> WithoutBootstrapKey = new() { ["Agentry:BootstrapApiKey"] = null };

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task FirstStart_NoConfiguredKey_GeneratesKeyPrintedOnceAndSavedWithMode600()
    {
        string key;
        await using (var server = AgentryServerFactory.Create(WithoutBootstrapKey, _dataDir))
        {
            using var anonymous = server.CreateClient();
            var path = Path.Combine(_dataDir, "admin.key");
            File.Exists(path).ShouldBeTrue();
            key = (await File.ReadAllTextAsync(path, Ct)).Trim();
            key.ShouldMatch("^agentry_[0-9A-Za-z]{32}$");
            if (!OperatingSystem.IsWindows())
            {
                File.GetUnixFileMode(path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            var output = server.ConsoleOutput;
            output.ShouldContain(key);
            output.ShouldContain($"curl -H \"X-API-Key: {key}\"");
            // The console's sign-in link carries the key in the fragment, which browsers never send to the server.
            output.ShouldContain($"/#key={key}");
            CountOf(output, "admin API key").ShouldBe(1);

            using var admin = server.CreateClient(key);
            (await admin.GetAsync("/v1/organizations", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await using (var restarted = AgentryServerFactory.Create(WithoutBootstrapKey, _dataDir))
        {
            using var admin = restarted.CreateClient(key);
            var organizations = await (await admin.GetAsync("/v1/organizations", Ct)).ShouldBeJsonAsync(HttpStatusCode.OK);
            organizations.GetProperty("total").GetInt32().ShouldBe(1);
            restarted.ConsoleOutput.ShouldNotContain(key);
            var keys = await (await admin.GetAsync("/v1/api-keys", Ct)).ShouldBeJsonAsync(HttpStatusCode.OK);
            keys.GetProperty("total").GetInt32().ShouldBe(1);
        }
    }

    [Fact]
    public async Task FirstStart_ConfiguredKey_IsAdminAndSystemAndNothingIsPrinted()
    {
        await using var server = AgentryServerFactory.Create(dataDir: _dataDir);
        using var admin = server.CreateAdminClient();
        (await admin.GetAsync("/v1/organizations", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var keys = await (await admin.GetAsync("/v1/api-keys", Ct)).ShouldBeJsonAsync(HttpStatusCode.OK);
        keys.GetProperty("items")[0].GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).ShouldBe(["admin", "system"]);
        File.Exists(Path.Combine(_dataDir, "admin.key")).ShouldBeFalse();
        server.ConsoleOutput.ShouldBeEmpty();
    }

    [Fact]
    public async Task FirstStart_Samples_SeededInDefaultOrganizationOnlyOnce()
    {
        await using (var server = AgentryServerFactory.Create(dataDir: _dataDir))
        {
            using var admin = server.CreateAdminClient();
            var agents = await (await admin.GetAsync("/v1/agents", Ct)).ShouldBeJsonAsync(HttpStatusCode.OK);
            var names = agents.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("name").GetString()).ToList();
            names.ShouldBe(["Research brief", "Company brief"], ignoreOrder: true);
            var brief = agents.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "Company brief");
            brief.GetProperty("resultType").GetString().ShouldBe("json");
            brief.GetProperty("resultSchema").GetProperty("properties").GetProperty("rating").GetProperty("enum").GetArrayLength().ShouldBeGreaterThan(1);
        }

        await using (var restarted = AgentryServerFactory.Create(dataDir: _dataDir))
        {
            using var admin = restarted.CreateAdminClient();
            var agents = await (await admin.GetAsync("/v1/agents", Ct)).ShouldBeJsonAsync(HttpStatusCode.OK);
            agents.GetProperty("total").GetInt32().ShouldBe(2);
        }
    }

    [Fact]
    public async Task Restart_NewConfiguredKey_IsAddedToDefaultOrganization()
    {
        await using (var server = AgentryServerFactory.Create(WithoutBootstrapKey, _dataDir))
        {
            using var anonymous = server.CreateClient();
        }

        await using var restarted = AgentryServerFactory.Create(dataDir: _dataDir);
        using var admin = restarted.CreateAdminClient();
        var organizations = await (await admin.GetAsync("/v1/organizations", Ct)).ShouldBeJsonAsync(HttpStatusCode.OK);
        organizations.GetProperty("total").GetInt32().ShouldBe(1);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
