using System.CommandLine;
using Spectre.Console;

namespace Agentry.Cli.Commands;

/// <summary><c>agentry keys create|list|revoke</c>: the organization's API keys (needs an admin key).</summary>
internal static class KeyCommands
{
    public static Command Create(GlobalOptions global)
    {
        var keys = new Command("keys", "Create, list and revoke API keys of your organization (needs an admin key).");

        var name = new Option<string>("--name") { Description = "What the key is for", Required = true };
        var scopes = new Option<string[]>("--scope")
        {
            Description = "A scope: runs:read, runs:write, agents:write or admin (repeat for several)",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        scopes.AcceptOnlyFromAmong("runs:read", "runs:write", "agents:write", "admin");
        var create = new Command("create", "Create a key; its secret is shown only now.\n\nExample:\n  agentry keys create --name ci --scope runs:read --scope runs:write") { name, scopes };
        create.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            using var client = context.CreateClient();
            var key = await client.CreateApiKeyAsync(context.Parse.GetValue(name)!, context.Parse.GetValue(scopes)!, cancellationToken);
            if (context.Json)
            {
                context.WriteJson(key);
            }
            else
            {
                context.Out.MarkupLine($"Created key [bold]{Markup.Escape(key.Id)}[/] ({Markup.Escape(string.Join(", ", key.Scopes))}). Its secret, shown only now:");
                Console.Out.WriteLine(key.Key);
            }

            return ExitCodes.Success;
        }));

        var list = new Command("list", "List the active keys (never their secrets).\n\nExample:\n  agentry keys list");
        list.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            using var client = context.CreateClient();
            var page = await client.ListApiKeysAsync(limit: 100, cancellationToken: cancellationToken);
            if (context.Json)
            {
                context.WriteJson(page.Items);
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("Id", "Name", "Scopes", "Created");
            foreach (var k in page.Items)
            {
                table.AddRow(Markup.Escape(k.Id), Markup.Escape(k.Name), Markup.Escape(string.Join(", ", k.Scopes)), Tables.Time(k.CreatedAt));
            }

            context.Out.Write(table);
            return ExitCodes.Success;
        }));

        var id = new Argument<string>("key-id") { Description = "The key's id (key_…)" };
        var revoke = new Command("revoke", "Revoke a key; it is refused from then on.\n\nExample:\n  agentry keys revoke key_123") { id };
        revoke.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            using var client = context.CreateClient();
            var keyId = context.Parse.GetValue(id)!;
            await client.RevokeApiKeyAsync(keyId, cancellationToken);
            if (context.Json)
            {
                context.WriteJson(new { id = keyId, revoked = true });
            }
            else
            {
                context.Out.MarkupLine($"Revoked {Markup.Escape(keyId)}.");
            }

            return ExitCodes.Success;
        }));

        keys.Subcommands.Add(create);
        keys.Subcommands.Add(list);
        keys.Subcommands.Add(revoke);
        return keys;
    }
}
