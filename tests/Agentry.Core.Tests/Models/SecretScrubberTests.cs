using Agentry.Core.Models;

namespace Agentry.Core.Tests.Models;

public sealed class SecretScrubberTests
{
    [Fact]
    public void Scrub_RemovesTheConfiguredSecretWherever_ItAppears()
    {
        var scrubber = new SecretScrubber(["my-private-token-42"]);

        scrubber.Scrub("bad key my-private-token-42; again:my-private-token-42.")
            .ShouldBe("bad key [redacted]; again:[redacted].");
    }

    [Theory]
    [InlineData("Authorization: Bearer abc.def-123", "Authorization: [redacted]")]
    [InlineData("authorization=Basic dXNlcjpwYXNz", "authorization=[redacted]")]
    [InlineData("{\"api-key\": \"hunter2hunter2\"}", "{\"api-key\": \"[redacted]\"}")]
    [InlineData("x-api-key: k-123456789", "x-api-key: [redacted]")]
    [InlineData("sent Bearer eyJhbGciOi.payload.sig to the proxy", "sent Bearer [redacted] to the proxy")]
    [InlineData("Incorrect API key provided: sk-proj-abcd****************wxyz.", "Incorrect API key provided: [redacted].")]
    [InlineData("key sk-ant-api03-AbCdEfGhIjKl was revoked", "key [redacted] was revoked")]
    public void Scrub_RemovesHeaderValuesAndKeyShapedStrings_EvenWhenNotConfigured(string text, string expected)
    {
        SecretScrubber.PatternsOnly.Scrub(text).ShouldBe(expected);
    }

    [Fact]
    public void Scrub_LeavesOrdinaryMessagesAlone_AndIgnoresShortSecrets()
    {
        var scrubber = new SecretScrubber(["abc", null, string.Empty]);

        scrubber.Scrub("The model 'gpt-4o' does not exist (abc).").ShouldBe("The model 'gpt-4o' does not exist (abc).");
        scrubber.Scrub(null).ShouldBe(string.Empty);
    }

    [Fact]
    public void Scrub_RemovesTheLongerOfTwoOverlappingSecretsWhole()
    {
        var scrubber = new SecretScrubber(["secret-1", "secret-1-extended"]);

        scrubber.Scrub("x secret-1-extended y").ShouldBe("x [redacted] y");
    }
}
