using System.CommandLine;
using Agentry.Cli.Commands;

namespace Agentry.Cli;

/// <summary>The <c>agentry</c> command: builds the command tree and runs it with the exit codes of <see cref="ExitCodes"/>.</summary>
internal static class CliProgram
{
    public static async Task<int> Main(string[] args)
    {
        var global = new GlobalOptions();
        var root = BuildRoot(global);
        var parse = root.Parse(args);
        // Asking for help is never an error: 'agentry agents create --help' shows help although --file is missing.
        var help = root.Options.OfType<System.CommandLine.Help.HelpOption>().First();
        if (parse.Errors.Count > 0 && parse.GetResult(help) is null)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"error: {error.Message}");
            }

            await Console.Error.WriteLineAsync($"Run '{CommandPath(parse)} --help' for usage and examples.");
            return ExitCodes.Usage;
        }

        // Ctrl-C is handled by the commands that need it (run and watch ask whether to cancel the run; serve stops the host).
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    public static RootCommand BuildRoot(GlobalOptions global)
    {
        var root = new RootCommand(
            """
            agentry — run AI agents on an Agentry server from the command line.

            Examples:
              agentry serve                                   start a server on http://127.0.0.1:5170
              agentry login --url http://127.0.0.1:5170 --key $(cat data/admin.key)
              agentry agents create -f agent.json
              agentry run agt_123 topic="AI in healthcare" depth=3
              agentry runs list --status error --json
              agentry drives upload drv_123 handbook.pdf --wait
              agentry analytics agt_123 --bucket day --tz Europe/Berlin

            Exit codes: 0 success, 1 the run ended in error, 2 bad usage or invalid input, 3 server unreachable or unauthorised.
            Shell completion: install dotnet-suggest (see README); it calls 'agentry [suggest] …'.
            """);
        global.AddTo(root);
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(LoginCommand.Create(global));
        root.Subcommands.Add(AgentCommands.Create(global));
        root.Subcommands.Add(RunCommand.Create(global));
        root.Subcommands.Add(RunsCommands.Create(global));
        root.Subcommands.Add(BatchCommand.Create(global));
        root.Subcommands.Add(KeyCommands.Create(global));
        root.Subcommands.Add(ModelStackCommand.Create(global));
        root.Subcommands.Add(SchemaCommands.Create(global));
        root.Subcommands.Add(DriveCommands.Create(global));
        root.Subcommands.Add(AnalyticsCommands.Create(global));
        CommandHelp.Install(root);
        return root;
    }

    /// <summary>Wraps a command's work: connection and API failures become a message on stderr and their exit code.</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Handle(GlobalOptions global, Func<CliContext, CancellationToken, Task<int>> action) =>
        async (parse, cancellationToken) =>
        {
            var context = new CliContext(parse, global);
            try
            {
                return await action(context, cancellationToken);
            }
            catch (Exception ex) when (ex is CliUsageException or Client.AgentryApiException or HttpRequestException
                                           || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return context.Fail(ex);
            }
        };

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(result.Command.Name);
        }

        names.Reverse();
        names[0] = "agentry";
        return string.Join(' ', names);
    }
}
