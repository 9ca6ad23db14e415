using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Agentry.Cli;

/// <summary>
/// Help that lists each subcommand by the first paragraph of its description, while a command's own help shows the
/// whole description with its examples.
/// </summary>
internal static class CommandHelp
{
    public static void Install(RootCommand root)
    {
        foreach (var help in root.Options.OfType<HelpOption>())
        {
            if (help.Action is HelpAction inner)
            {
                help.Action = new SummaryHelpAction(inner);
            }
        }
    }

    private sealed class SummaryHelpAction(HelpAction inner) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            // Help ends the process, so the subcommands' descriptions can be cut to their summaries for this listing.
            foreach (var command in parseResult.CommandResult.Command.Subcommands)
            {
                command.Description = command.Description?.Split("\n\n", 2)[0].ReplaceLineEndings(" ");
            }

            return inner.Invoke(parseResult);
        }
    }
}
