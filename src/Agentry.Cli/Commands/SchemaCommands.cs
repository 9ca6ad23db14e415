using System.CommandLine;
using Spectre.Console;

namespace Agentry.Cli.Commands;

/// <summary><c>agentry schemas validate</c>: tries a JSON Schema on the server before it goes into an agent.</summary>
internal static class SchemaCommands
{
    public static Command Create(GlobalOptions global)
    {
        var schemas = new Command("schemas", "Try JSON Schemas before saving them in an agent.");
        var schema = new Option<string>("--schema", "-s") { Description = "The JSON Schema file (2020-12, or draft-07 by $schema)", Required = true };
        var instance = new Option<string>("--instance", "-i") { Description = "The JSON value to validate (- reads stdin)", Required = true };
        var noFormat = new Option<bool>("--no-format-assertion") { Description = "Treat 'format' as an annotation instead of asserting it" };
        var validate = new Command(
            "validate",
            "Validate a JSON value against a JSON Schema on the server; exit code 2 when it is invalid, listing every violation.\n\nExample:\n  agentry schemas validate -s input-schema.json -i input.json")
        {
            schema,
            instance,
            noFormat,
        };
        validate.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            var schemaJson = JsonFiles.ReadFile(context.Parse.GetValue(schema)!);
            var instanceJson = JsonFiles.ReadFile(context.Parse.GetValue(instance)!);
            using var client = context.CreateClient();
            var result = await client.ValidateSchemaAsync(
                schemaJson,
                instanceJson,
                new Client.SchemaValidationOptions { FormatAssertion = context.Parse.GetValue(noFormat) ? false : null },
                cancellationToken);
            if (context.Json)
            {
                context.WriteJson(result);
            }
            else if (result.Valid)
            {
                context.Out.MarkupLine("[green]valid[/]");
            }
            else
            {
                context.Error.MarkupLine($"[red]invalid[/]: {result.Errors.Count} problem(s)");
                foreach (var error in result.Errors)
                {
                    context.Error.MarkupLine($"  [yellow]{Markup.Escape(error.Path.Length == 0 ? "(root)" : error.Path)}[/]: {Markup.Escape(error.Message)} [grey]({Markup.Escape(error.SchemaPath)})[/]");
                }
            }

            return result.Valid ? ExitCodes.Success : ExitCodes.Usage;
        }));
        schemas.Subcommands.Add(validate);
        return schemas;
    }
}
