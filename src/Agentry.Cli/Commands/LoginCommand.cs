using System.CommandLine;
using Spectre.Console;

namespace Agentry.Cli.Commands;

/// <summary><c>agentry login</c>: checks a server URL and key, then stores them as a connection profile.</summary>
internal static class LoginCommand
{
    public static Command Create(GlobalOptions global)
    {
        var key = new Option<string>("--key") { Description = "The API key (for a new server: the content of data/admin.key)", Required = true };
        var command = new Command(
            "login",
            """
            Check a server URL and API key, then store them for later commands.

            They are stored in $XDG_CONFIG_HOME/agentry/config.json (or
            ~/.config/agentry/config.json, readable only by you). Later commands use them; AGENTRY_URL, AGENTRY_API_KEY,
            --url and --api-key override them. --profile stores several connections side by side.

            Examples:
              agentry login --url http://127.0.0.1:5170 --key $(cat data/admin.key)
              agentry login --profile prod --url https://agentry.example.com --key ak_…
            """)
        {
            key,
        };
        command.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            var url = context.ServerUrl;
            var secret = context.Parse.GetValue(key)!;
            using var client = context.CreateClient(url, secret);
            var agents = await client.ListAgentsAsync(limit: 1, cancellationToken: cancellationToken);
            var profiles = new ConnectionProfiles();
            profiles.Save(context.ProfileName, new ConnectionProfile(url.ToString(), secret));
            if (context.Json)
            {
                context.WriteJson(new { profile = context.ProfileName, url, agents = agents.Total, file = profiles.FilePath });
            }
            else
            {
                context.Out.MarkupLine($"[green]Logged in[/] to {Markup.Escape(url.ToString())} as profile '{Markup.Escape(context.ProfileName)}' ({agents.Total} agents). Saved in {Markup.Escape(profiles.FilePath)}.");
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
