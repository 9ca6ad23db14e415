using Agentry.Core.Tools;

namespace Agentry.Core.Tests.Tools;

public sealed class CodeInterpreterTests
{
    private static CodeInterpreter Interpreter(Action<CodeInterpreterOptions>? configure = null)
    {
        var options = new CodeInterpreterOptions();
        configure?.Invoke(options);
        return new CodeInterpreter(options);
    }

    [Fact]
    public void Run_ReturnsTheLastValueAsJson_AndWhatConsoleLogPrinted()
    {
        var result = Interpreter().Run(
            """
            const xs = [3, 1, 2];
            console.log("sorted", xs.slice().sort());
            console.info({ n: xs.length });
            ({ sum: xs.reduce((a, b) => a + b, 0), max: Math.max(...xs) })
            """,
            TestContext.Current.CancellationToken);

        result.Value!.Value.GetProperty("sum").GetInt32().ShouldBe(6);
        result.Value!.Value.GetProperty("max").GetInt32().ShouldBe(3);
        result.Console.ShouldBe("sorted [1,2,3]\n{\"n\":3}\n");
        result.Truncated.ShouldBeFalse();
    }

    [Fact]
    public void Run_UndefinedValue_IsNull_FunctionsAreTheirStringForm()
    {
        Interpreter().Run("let x = 1;", TestContext.Current.CancellationToken).Value.ShouldBeNull();
        Interpreter().Run("10n ** 20n", TestContext.Current.CancellationToken).Value!.Value.GetString().ShouldBe("100000000000000000000");
    }

    [Fact]
    public void Run_SyntaxError_IsAToolErrorNamingIt()
    {
        var error = Should.Throw<ToolException>(() => Interpreter().Run("let = ;", TestContext.Current.CancellationToken));
        error.Message.ShouldStartWith("SyntaxError");
    }

    [Fact]
    public void Run_ThrownError_IsAToolErrorWithTheConsoleSoFar()
    {
        var error = Should.Throw<ToolException>(() => Interpreter().Run("console.log('before'); throw new TypeError('bad input');", TestContext.Current.CancellationToken));
        error.Message.ShouldContain("TypeError: bad input");
        error.Message.ShouldContain("before");
    }

    [Fact]
    public void Run_InfiniteLoop_IsStoppedByTheStatementLimit()
    {
        var error = Should.Throw<ToolException>(() => Interpreter(o => o.MaxStatements = 100_000).Run("while (true) {}", TestContext.Current.CancellationToken));
        error.Message.ShouldContain("100,000 statements");
    }

    [Fact]
    public void Run_InfiniteLoop_IsStoppedByTheTimeLimit()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var error = Should.Throw<ToolException>(() => Interpreter(o => { o.TimeoutSeconds = 1; o.MaxStatements = int.MaxValue; }).Run("for (;;) {}", TestContext.Current.CancellationToken));
        error.Message.ShouldContain("time limit of 1 s");
        started.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Run_DeepRecursion_IsStoppedByTheRecursionLimit()
    {
        var error = Should.Throw<ToolException>(() => Interpreter().Run("function f(n) { return f(n + 1); } f(0)", TestContext.Current.CancellationToken));
        error.Message.ShouldContain("recursion limit of 256");
    }

    [Fact]
    public void Run_MemoryBomb_IsStoppedByTheMemoryLimit()
    {
        var error = Should.Throw<ToolException>(() => Interpreter().Run("const a = []; while (true) a.push({ xs: [1, 2, 3, 4, 5, 6, 7, 8] });", TestContext.Current.CancellationToken));
        error.Message.ShouldContain("memory limit of 32 MB");
    }

    [Theory]
    [InlineData("System.IO.File.ReadAllText('/etc/passwd')", "System is not defined")]
    [InlineData("importNamespace('System.IO')", "importNamespace is not defined")]
    [InlineData("require('fs')", "require is not defined")]
    [InlineData("fetch('http://example.com')", "fetch is not defined")]
    [InlineData("setTimeout(() => 1, 0)", "setTimeout is not defined")]
    public void Run_HasNoClrAndNoIo(string code, string message)
    {
        var error = Should.Throw<ToolException>(() => Interpreter().Run(code, TestContext.Current.CancellationToken));
        error.Message.ShouldContain(message);
    }

    [Fact]
    public void Run_ConsoleOutput_IsBounded()
    {
        var result = Interpreter(o => o.MaxOutputChars = 100).Run("for (let i = 0; i < 1000; i++) console.log('line ' + i); 'done'", TestContext.Current.CancellationToken);
        result.Console.Length.ShouldBeLessThan(140);
        result.Console.ShouldEndWith("[console output truncated]");
        result.Truncated.ShouldBeTrue();
        result.Value!.Value.GetString().ShouldBe("done");
    }

    [Fact]
    public void Run_CancelledRun_StopsTheScript()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Should.Throw<OperationCanceledException>(() => Interpreter(o => o.MaxStatements = int.MaxValue).Run("for (;;) {}", cancellation.Token));
    }
}
