using Agentry.Core.Models;
using Agentry.Core.Runtime;
using Agentry.Core.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Agentry.Core.Tests.Models;

public sealed class ModelStackRegistryTests
{
    private static readonly FakeTimeProvider Time = new(TestRuns.Epoch);

    [Fact]
    public void Resolve_BuiltInStacks_AreAvailableWithNoConfiguration()
    {
        using var registry = TestRuntime.Registry(Time);

        var offline = registry.Resolve("local/offline");
        offline.Available.ShouldBeTrue();
        offline.Stack.Provider.ShouldBe("local");
        offline.Stack.Model.ShouldBe("offline");
        offline.Stack.InputPricePerMillion.ShouldBe(0m);
        registry.Resolve("local/offline-slow").Available.ShouldBeTrue();
    }

    [Fact]
    public void Resolve_DefaultAlias_IsTheOfflineStack()
    {
        using var registry = TestRuntime.Registry(Time);

        var resolution = registry.Resolve("default");

        resolution.Available.ShouldBeTrue();
        resolution.RequestedId.ShouldBe("default");
        resolution.Stack.Id.ShouldBe("local/offline");
    }

    [Fact]
    public void Resolve_UnknownStack_IsUnavailableWithAReasonListingKnownStacks()
    {
        using var registry = TestRuntime.Registry(Time);

        var resolution = registry.Resolve("openai/default");

        resolution.Available.ShouldBeFalse();
        resolution.Reason.ShouldContain("Unknown model stack 'openai/default'");
        resolution.Reason.ShouldContain("local/offline");
    }

    [Fact]
    public void Resolve_StackOfUnknownProvider_IsUnavailableNamingTheProvider()
    {
        using var registry = TestRuntime.Registry(Time, configure: o => o.Stacks["openai/default"] = new ModelStackOptions { Provider = "openai", Model = "gpt-4o" });

        var resolution = registry.Resolve("openai/default");

        resolution.Available.ShouldBeFalse();
        resolution.Reason.ShouldContain("'openai'");
        resolution.Reason.ShouldContain("supported: local");
    }

    [Fact]
    public void Resolve_LocalStackWithAnotherModel_IsUnavailable()
    {
        using var registry = TestRuntime.Registry(Time, configure: o => o.Stacks["local/big"] = new ModelStackOptions { Provider = "local", Model = "big" });

        registry.Resolve("local/big").Reason!.ShouldContain("only 'offline'");
    }

    [Fact]
    public void Resolve_AliasToAMissingStack_IsUnavailable()
    {
        using var registry = TestRuntime.Registry(Time, configure: o => o.Aliases["fast"] = "nowhere/none");

        registry.Resolve("fast").Reason!.ShouldContain("nowhere/none");
    }

    [Fact]
    public void Describe_ListsEveryStackAndAlias_WithAvailability()
    {
        using var registry = TestRuntime.Registry(Time, configure: o => o.Stacks["openai/default"] = new ModelStackOptions { Provider = "openai" });

        var infos = registry.Describe();

        infos.Select(i => i.Id).ShouldBe(["default", "local/offline", "local/offline-slow", "openai/default"]);
        infos[0].ShouldBe(new ModelStackInfo("default", "local", "offline", true, null, "local/offline"));
        infos[1].ShouldBe(new ModelStackInfo("local/offline", "local", "offline", true, null, null));
        infos[3].Available.ShouldBeFalse();
        infos[3].Provider.ShouldBe("openai");
        infos[3].Reason.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void ModelStack_CostOf_UsesPricesPerMillionTokens()
    {
        using var registry = TestRuntime.Registry(Time, configure: o => o.Stacks["local/priced"] = new ModelStackOptions
        {
            Provider = "local",
            InputPricePerMillion = 2.5m,
            OutputPricePerMillion = 10m,
        });

        registry.Resolve("local/priced").Stack!.CostOf(1_000, 500).ShouldBe(0.0075m);
    }

    [Fact]
    public async Task AddAgentryRuntime_BindsStacksFromConfiguration_AndResolvesTheRuntime()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Agentry:Models:Stacks:local/watchable:Provider"] = "local",
            ["Agentry:Models:Stacks:local/watchable:StepDelayMs"] = "50",
            ["Agentry:Models:Stacks:local/watchable:InputPricePerMillion"] = "0.5",
            ["Agentry:Models:Stacks:anthropic/default:Provider"] = "anthropic",
            ["Agentry:Models:Stacks:anthropic/default:ApiKeyEnvironmentVariable"] = "ANTHROPIC_API_KEY",
            ["Agentry:Models:Aliases:fast"] = "local/offline",
        }).Build();
        var services = Services().AddAgentryRuntime(configuration);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var registry = provider.GetRequiredService<IModelStackRegistry>();
        provider.GetRequiredService<IAgentRuntime>().ShouldBeOfType<AgentLoop>();
        provider.GetRequiredService<TimeProvider>().ShouldBe(TimeProvider.System);
        registry.Resolve("local/watchable").Stack!.InputPricePerMillion.ShouldBe(0.5m);
        registry.Resolve("fast").Stack!.Id.ShouldBe("local/offline");
        registry.Resolve("anthropic/default").Available.ShouldBeFalse();
        provider.GetRequiredService<IOptions<ModelsOptions>>().Value.Stacks["anthropic/default"].ApiKeyEnvironmentVariable.ShouldBe("ANTHROPIC_API_KEY");
    }

    [Fact]
    public async Task AddAgentryRuntime_KeepsAnExistingTimeProvider()
    {
        var time = new FakeTimeProvider();
        var services = Services().AddSingleton<TimeProvider>(time).AddAgentryRuntime(new ConfigurationBuilder().Build());
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<TimeProvider>().ShouldBeSameAs(time);
    }

    [Theory]
    [InlineData("InputPricePerMillion", "-1", "InputPricePerMillion must be >= 0")]
    [InlineData("StepDelayMs", "-5", "StepDelayMs must be >= 0")]
    [InlineData("StepDelayMs", "soon", "must be a whole number")]
    [InlineData("Endpoint", "not a uri", "must be an absolute URI")]
    public async Task AddAgentryRuntime_BadStackSettings_FailValidationNamingTheKey(string setting, string value, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Agentry:Models:Stacks:local/bad:Provider"] = "local",
            [$"Agentry:Models:Stacks:local/bad:{setting}"] = value,
        }).Build();
        await using var provider = Services().AddAgentryRuntime(configuration).BuildServiceProvider();

        var failure = Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ModelsOptions>>().Value);

        failure.Message.ShouldContain($"Agentry:Models:Stacks:local/bad:{setting}");
        failure.Message.ShouldContain(expected);
    }

    private static IServiceCollection Services() =>
        new ServiceCollection().AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance).AddSingleton(typeof(ILogger<>), typeof(Logger<>));
}
