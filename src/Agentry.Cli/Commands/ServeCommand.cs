using System.CommandLine;
using Agentry.Server;
using Microsoft.AspNetCore.Builder;

namespace Agentry.Cli.Commands;

/// <summary><c>agentry serve</c>: the server in this process, with exactly the server's configuration.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command(
            "serve",
            """
            Start the Agentry server in this process.

            It takes the same settings as the server: --urls, --Agentry:DataDir=…, environment variables
            (Agentry__DataDir, OPENAI_API_KEY, …) and appsettings.json. Stop it with Ctrl-C.

            Examples:
              agentry serve
              agentry serve --urls http://0.0.0.0:8080 --Agentry:DataDir=/var/lib/agentry
            """)
        {
            // Every other token is server configuration, passed on as the server's own command line.
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var builder = WebApplication.CreateBuilder([.. parse.UnmatchedTokens]);
            builder.AddAgentry();
            await using var app = builder.Build();
            app.MapAgentry();
            await app.RunAsync();
            return ExitCodes.Success;
        });
        return command;
    }
}
