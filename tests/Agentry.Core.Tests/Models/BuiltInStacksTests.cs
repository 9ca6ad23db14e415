using Agentry.Core.Models;
using Agentry.Core.Models.Ollama;
using Agentry.Core.Runs;
using Agentry.Core.Runtime;
using Agentry.Core.Tests.Fakes;

namespace Agentry.Core.Tests.Models;

/// <summary>The built-in remote stacks, their reasons when unusable, and which one <c>default</c> means.</summary>
public sealed class BuiltInStacksTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WithNoSettings_RemoteStacksAreListed_AndDefaultIsOffline()
    {
        await using var host = new RemoteModelHost(new Dictionary<string, string?>());
        var registry = host.Registry;

        registry.Resolve("default").Stack!.Id.ShouldBe(ModelStackRegistry.OfflineStackId);
        registry.Resolve("openai/default").Reason.ShouldStartWith("OPENAI_API_KEY is not set");
        registry.Resolve("anthropic/default").Reason.ShouldStartWith("ANTHROPIC_API_KEY is not set");
        // Usable by name at Ollama's own address, but nothing says an Ollama is there, so default does not pick it.
        registry.Resolve("ollama/default").Available.ShouldBeTrue();

        var described = registry.Describe();
        described.Select(d => d.Id).ShouldBe(["anthropic/default", "default", "local/offline", "local/offline-slow", "ollama/default", "openai/default"]);
        var openai = described.Single(d => d.Id == "openai/default");
        openai.Provider.ShouldBe("openai");
        openai.Available.ShouldBeFalse();
        openai.Reason!.ShouldContain("OPENAI_API_KEY");
        var alias = described.Single(d => d.Id == "default");
        alias.AliasOf.ShouldBe("local/offline");
        alias.Available.ShouldBeTrue();
        described.Single(d => d.Id == "ollama/default").Model.ShouldBe("llama3.2");
    }

    [Theory]
    [InlineData("OPENAI_API_KEY", "sk-x-123456", "openai/default")]
    [InlineData("ANTHROPIC_API_KEY", "sk-ant-123456", "anthropic/default")]
    [InlineData("OLLAMA_HOST", "127.0.0.1:11500", "ollama/default")]
    public async Task Default_IsTheOneConfiguredProvider(string setting, string value, string expected)
    {
        await using var host = new RemoteModelHost(new Dictionary<string, string?> { [setting] = value });

        host.Registry.Resolve("default").Stack!.Id.ShouldBe(expected);
    }

    [Fact]
    public async Task Default_PrefersOpenAI_ThenAnthropic_ThenOllama()
    {
        await using var all = new RemoteModelHost(new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "sk-x-123456", ["ANTHROPIC_API_KEY"] = "a-123456", ["OLLAMA_HOST"] = "localhost" });
        await using var twoLast = new RemoteModelHost(new Dictionary<string, string?> { ["ANTHROPIC_API_KEY"] = "a-123456", ["OLLAMA_HOST"] = "localhost" });

        all.Registry.Resolve("default").Stack!.Id.ShouldBe("openai/default");
        twoLast.Registry.Resolve("default").Stack!.Id.ShouldBe("anthropic/default");
    }

    [Fact]
    public async Task Default_PicksAnOllamaStackConfiguredExplicitly_AndAConfiguredAliasWins()
    {
        await using var explicitOllama = new RemoteModelHost(new Dictionary<string, string?> { ["Agentry:Models:Stacks:ollama/default:Model"] = "qwen3" });
        await using var aliased = new RemoteModelHost(new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "sk-x-123456", ["Agentry:Models:Aliases:default"] = "local/offline-slow" });

        var ollama = explicitOllama.Registry.Resolve("default").Stack!;
        ollama.Id.ShouldBe("ollama/default");
        ollama.Model.ShouldBe("qwen3");
        aliased.Registry.Resolve("default").Stack!.Id.ShouldBe("local/offline-slow");
    }

    [Fact]
    public async Task ConfiguredStacks_ReadTheirKeyFromTheNamedVariable_AndSayWhichOneIsMissing()
    {
        await using var host = new RemoteModelHost(new Dictionary<string, string?>
        {
            ["Agentry:Models:Stacks:vllm/qwen:Provider"] = "openai",
            ["Agentry:Models:Stacks:vllm/qwen:Model"] = "qwen",
            ["Agentry:Models:Stacks:vllm/qwen:Endpoint"] = "http://127.0.0.1:8000/v1",
            ["Agentry:Models:Stacks:vllm/qwen:ApiKeyEnvironmentVariable"] = "VLLM_KEY",
            ["Agentry:Models:Stacks:openai/big:Provider"] = "openai",
            ["Agentry:Models:Stacks:openai/big:Model"] = "gpt-big",
            ["Agentry:Models:Stacks:openai/big:InputPricePerMillion"] = "2",
            ["OPENAI_API_KEY"] = "sk-x-123456",
            ["OPENAI_BASE_URL"] = "not a url",
        });

        var vllm = host.Registry.Resolve("vllm/qwen");
        vllm.Reason.ShouldStartWith("VLLM_KEY is not set (the model stack 'vllm/qwen' reads its API key from it");
        host.Registry.Resolve("openai/big").Reason.ShouldStartWith("OPENAI_BASE_URL is not an absolute http(s) URL");
    }

    [Fact]
    public async Task ARunOnAStackWithoutItsKey_FailsAtStart_WithModelUnavailableNamingTheSetting()
    {
        await using var host = new RemoteModelHost(new Dictionary<string, string?>());
        var sink = new RecordingEventSink();

        var failure = await Should.ThrowAsync<RunFailedException>(
            () => host.Runtime.ExecuteAsync(TestRuns.Context(TestRuns.Config(modelStackId: "anthropic/default"), """{"topic":"x","audience":"y"}""", sink), Ct));

        failure.Code.ShouldBe(RunErrorCodes.ModelUnavailable);
        failure.Message.ShouldContain("ANTHROPIC_API_KEY is not set");
        sink.Events.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("localhost", "http://localhost:11434/")]
    [InlineData("gpu-box:8080", "http://gpu-box:8080/")]
    [InlineData("0.0.0.0", "http://127.0.0.1:11434/")]
    [InlineData("http://ollama.internal", "http://ollama.internal/")]
    [InlineData("https://ollama.example.com:8443", "https://ollama.example.com:8443/")]
    public void OllamaHost_IsReadAsOllamaReadsIt(string host, string expected)
    {
        OllamaModelProvider.ParseHost(host)!.ToString().ShouldBe(expected);
    }

    [Fact]
    public void OllamaHost_ThatIsNotAnHttpUrl_DoesNotParse()
    {
        OllamaModelProvider.ParseHost("ftp://files").ShouldBeNull();
    }
}
