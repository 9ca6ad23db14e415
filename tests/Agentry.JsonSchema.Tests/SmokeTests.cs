namespace Agentry.JsonSchema.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Draft_Default_IsDraft202012() => default(Agentry.JsonSchema.JsonSchemaDraft).ShouldBe(JsonSchemaDraft.Draft202012);
}
