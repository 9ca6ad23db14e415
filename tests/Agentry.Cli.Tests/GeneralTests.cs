using Agentry.Cli.Tests.Infrastructure;
using Agentry.Client.Tests.Infrastructure;

namespace Agentry.Cli.Tests;

public sealed class GeneralTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Help_Root_ListsTheCommandsExamplesAndExitCodes()
    {
        using var cli = new AgentryCli(null, null);

        var result = await cli.RunAsync("--help");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("Exit codes: 0 success, 1 the run ended in error, 2 bad usage or invalid input, 3 server unreachable or unauthorised.");
        foreach (var command in new[] { "serve", "login", "agents", "run", "runs", "batch", "keys", "model-stacks", "drives", "analytics" })
        {
            result.Stdout.ShouldContain("  " + command);
        }
    }

    [Fact]
    public async Task Help_CommandWithRequiredOption_ShowsItsExamplesWithoutAnError()
    {
        using var cli = new AgentryCli(null, null);

        var result = await cli.RunAsync("agents", "create", "--help");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("agentry agents create -f");
        result.Stderr.ShouldBeEmpty();
    }

    [Fact]
    public async Task UnknownCommand_ExitsWith2AndPointsAtHelp()
    {
        using var cli = new AgentryCli(null, null);

        var result = await cli.RunAsync("agents", "frobnicate");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain("frobnicate");
        result.Stderr.ShouldContain("agentry agents --help");
    }

    [Fact]
    public async Task SuggestDirective_PartialCommand_CompletesIt()
    {
        using var cli = new AgentryCli(null, null);

        var result = await cli.RunAsync("[suggest:10]", "agentry ag");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.Trim().ShouldBe("agents");
    }

    [Fact]
    public async Task AnyCommand_ServerUnreachable_ExitsWith3SayingWhatToDo()
    {
        using var cli = new AgentryCli(new Uri("http://127.0.0.1:1"), "key");

        var result = await cli.RunAsync("agents", "list");

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Stderr.ShouldContain("Cannot reach the Agentry server at http://127.0.0.1:1/");
        result.Stderr.ShouldContain("agentry serve");
    }

    [Fact]
    public async Task AnyCommand_UnknownKey_ExitsWith3NamingLogin()
    {
        using var cli = new AgentryCli(fixture.Server.Address, "not-a-key-of-this-server");

        var result = await cli.RunAsync("agents", "list");

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Stderr.ShouldContain("agentry login");
    }

    [Fact]
    public async Task AnyCommand_JsonFailure_WritesTheErrorAsJsonOnStderr()
    {
        using var cli = new AgentryCli(fixture.Server.Address, AgentryServerProcess.BootstrapKey);

        var result = await cli.RunAsync("agents", "get", "agt_missing", "--json");

        result.ExitCode.ShouldBe(2, result.ToString());
        using var error = System.Text.Json.JsonDocument.Parse(result.Stderr);
        error.RootElement.GetProperty("error").GetString().ShouldBe("not_found");
    }

    [Fact]
    public async Task Login_ValidKey_StoresAProfileOnlyTheUserCanReadThatLaterCommandsUse()
    {
        using var login = new AgentryCli(null, null);

        var result = await login.RunAsync("login", "--url", fixture.Server.Address.ToString(), "--key", AgentryServerProcess.BootstrapKey);

        result.ExitCode.ShouldBe(0, result.ToString());
        var file = Path.Combine(login.ConfigHome, "agentry", "config.json");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        (await File.ReadAllTextAsync(file, Ct)).ShouldContain(AgentryServerProcess.BootstrapKey);
        var stacks = await login.RunAsync("model-stacks", "--json");
        stacks.ExitCode.ShouldBe(0, stacks.ToString());
        stacks.Json.EnumerateArray().ShouldContain(s => s.GetProperty("id").GetString() == "local/offline");
    }

    [Fact]
    public async Task Login_NamedProfile_IsUsedWhenChosenByOptionOrEnvironment()
    {
        using var login = new AgentryCli(null, null);

        var result = await login.RunAsync("login", "--profile", "prod", "--url", fixture.Server.Address.ToString(), "--key", AgentryServerProcess.BootstrapKey, "--json");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Json.GetProperty("profile").GetString().ShouldBe("prod");
        (await login.RunAsync("model-stacks", "--profile", "prod")).ExitCode.ShouldBe(0);
        var withoutKey = await login.RunAsync("model-stacks", "--profile", "staging", "--url", fixture.Server.Address.ToString());
        withoutKey.ExitCode.ShouldBe(3, withoutKey.ToString());
        withoutKey.Stderr.ShouldContain("agentry login");
    }

    [Fact]
    public async Task Login_UnknownKey_ExitsWith3AndStoresNothing()
    {
        using var login = new AgentryCli(null, null);

        var result = await login.RunAsync("login", "--url", fixture.Server.Address.ToString(), "--key", "wrong-key-wrong-key");

        result.ExitCode.ShouldBe(3, result.ToString());
        File.Exists(Path.Combine(login.ConfigHome, "agentry", "config.json")).ShouldBeFalse();
    }

    [Fact]
    public async Task Options_UrlAndApiKey_OverrideTheEnvironment()
    {
        using var cli = new AgentryCli(new Uri("http://127.0.0.1:1"), "wrong");

        var result = await cli.RunAsync("model-stacks", "--json", "--url", fixture.Server.Address.ToString(), "--api-key", AgentryServerProcess.BootstrapKey);

        result.ExitCode.ShouldBe(0, result.ToString());
    }

    [Fact]
    public async Task Keys_CreateListRevoke_ManageTheOrganizationsKeys()
    {
        using var cli = new AgentryCli(fixture.Server.Address, AgentryServerProcess.BootstrapKey);

        var created = await cli.RunAsync("keys", "create", "--name", "ci", "--scope", "runs:read", "--scope", "runs:write", "--json");

        created.ExitCode.ShouldBe(0, created.ToString());
        var id = created.Json.GetProperty("id").GetString()!;
        created.Json.GetProperty("key").GetString().ShouldNotBeNullOrEmpty();
        var list = await cli.RunAsync("keys", "list", "--json");
        list.Json.EnumerateArray().ShouldContain(k => k.GetProperty("id").GetString() == id);
        var table = await cli.RunAsync("keys", "list");
        table.Stdout.ShouldContain("ci");
        (await cli.RunAsync("keys", "revoke", id)).ExitCode.ShouldBe(0);
        (await cli.RunAsync("keys", "list", "--json")).Json.EnumerateArray().ShouldNotContain(k => k.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task Keys_UnknownScope_ExitsWith2ListingTheScopes()
    {
        using var cli = new AgentryCli(fixture.Server.Address, AgentryServerProcess.BootstrapKey);

        var result = await cli.RunAsync("keys", "create", "--name", "x", "--scope", "everything");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain("runs:read");
    }
}
