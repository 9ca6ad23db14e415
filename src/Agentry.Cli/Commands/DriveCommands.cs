using System.CommandLine;
using System.Globalization;
using Agentry.Client;
using Spectre.Console;

namespace Agentry.Cli.Commands;

/// <summary><c>agentry drives …</c>: drives and their files — create, upload, list, search and delete.</summary>
internal static partial class DriveCommands
{
    public static Command Create(GlobalOptions global)
    {
        var drives = new Command(
            "drives",
            "Create drives, upload files to them and search them.\n\nExamples:\n  agentry drives create Handbook\n  agentry drives upload drv_123 travel.md --path /policies/travel.md --wait\n  agentry drives search drv_123 \"travel expenses\"");
        drives.Subcommands.Add(CreateDrive(global));
        drives.Subcommands.Add(List(global));
        drives.Subcommands.Add(Get(global));
        drives.Subcommands.Add(Delete(global));
        drives.Subcommands.Add(Upload(global));
        drives.Subcommands.Add(Items(global));
        drives.Subcommands.Add(Search(global));
        return drives;
    }

    private static Argument<string> DriveId() => new("drive-id") { Description = "The drive's id (drv_…)" };

    private static Command CreateDrive(GlobalOptions global)
    {
        var name = new Argument<string>("name") { Description = "The drive's name (at most 200 characters)" };
        var command = new Command("create", "Create a drive.\n\nExample:\n  agentry drives create Handbook --json") { name };
        command.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            using var client = context.CreateClient();
            var drive = await client.CreateDriveAsync(context.Parse.GetValue(name)!, cancellationToken);
            if (context.Json)
            {
                context.WriteJson(drive);
            }
            else
            {
                context.Out.MarkupLine($"Created drive [bold]{Markup.Escape(drive.Id)}[/] ({Markup.Escape(drive.Name)}). Upload files with: agentry drives upload {Markup.Escape(drive.Id)} <file…>");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command List(GlobalOptions global)
    {
        var command = new Command("list", "List the organization's drives, newest first.\n\nExample:\n  agentry drives list --json");
        command.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            using var client = context.CreateClient();
            var page = await client.ListDrivesAsync(limit: 100, cancellationToken: cancellationToken);
            if (context.Json)
            {
                context.WriteJson(page.Items);
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("Id", "Name", "Created");
            foreach (var drive in page.Items)
            {
                table.AddRow(Markup.Escape(drive.Id), Markup.Escape(drive.Name), Tables.Time(drive.CreatedAt));
            }

            context.Out.Write(table);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Get(GlobalOptions global)
    {
        var id = DriveId();
        var command = new Command("get", "Show a drive with how many files it holds.\n\nExample:\n  agentry drives get drv_123") { id };
        command.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            using var client = context.CreateClient();
            var drive = await client.GetDriveAsync(context.Parse.GetValue(id)!, cancellationToken);
            if (context.Json)
            {
                context.WriteJson(drive);
                return ExitCodes.Success;
            }

            var items = await client.ListDriveItemsAsync(drive.Id, limit: 1, cancellationToken: cancellationToken);
            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("Id", Markup.Escape(drive.Id));
            grid.AddRow("Name", Markup.Escape(drive.Name));
            grid.AddRow("Created", Tables.Time(drive.CreatedAt));
            grid.AddRow("Files", items.Total.ToString(CultureInfo.InvariantCulture));
            context.Out.Write(grid);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Delete(GlobalOptions global)
    {
        var id = DriveId();
        var command = new Command("delete", "Delete a drive with its files; agents that name it search their other drives.\n\nExample:\n  agentry drives delete drv_123") { id };
        command.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            using var client = context.CreateClient();
            var driveId = context.Parse.GetValue(id)!;
            await client.DeleteDriveAsync(driveId, cancellationToken);
            if (context.Json)
            {
                context.WriteJson(new { id = driveId, deleted = true });
            }
            else
            {
                context.Out.MarkupLine($"Deleted {Markup.Escape(driveId)}.");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Upload(GlobalOptions global)
    {
        var id = DriveId();
        var files = new Argument<string[]>("files") { Description = "The files to upload", Arity = ArgumentArity.OneOrMore };
        var path = new Option<string?>("--path")
        {
            Description = "Where the file goes in the drive (/guides/setup.md); with several files, or ending in '/', the folder they go in. Default: /<file name>",
        };
        var description = new Option<string?>("--description") { Description = "What the file is (kept with each file)" };
        var wait = new Option<bool>("--wait") { Description = "Wait until each file is indexed (ready or error); exit code 1 when one is not ready" };
        var command = new Command(
            "upload",
            "Upload files to a drive; the same path again replaces the file. They are indexed in the background.\n\nExamples:\n  agentry drives upload drv_123 travel.md --path /policies/travel.md --wait\n  agentry drives upload drv_123 docs/*.pdf --path /manuals/ --json")
        {
            id,
            files,
            path,
            description,
            wait,
        };
        command.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            var p = context.Parse;
            var driveId = p.GetValue(id)!;
            var locals = p.GetValue(files)!;
            var missing = locals.Where(f => !File.Exists(f)).ToList();
            if (missing.Count > 0)
            {
                throw new CliUsageException($"No such file: {string.Join(", ", missing)}. Nothing was uploaded.");
            }

            var targets = Targets(locals, p.GetValue(path));
            using var client = context.CreateClient();
            var uploaded = context.Interactive
                ? await UploadWithProgressAsync(context, client, driveId, targets, p.GetValue(description), cancellationToken)
                : await UploadQuietlyAsync(context, client, driveId, targets, p.GetValue(description), cancellationToken);
            if (p.GetValue(wait))
            {
                for (var i = 0; i < uploaded.Count; i++)
                {
                    uploaded[i] = await client.WaitForDriveItemAsync(driveId, uploaded[i].Id, cancellationToken: cancellationToken);
                }
            }

            if (context.Json)
            {
                context.WriteJson(uploaded);
            }
            else
            {
                context.Out.Write(ItemTable(uploaded));
                var errors = uploaded.Where(i => i.Status == DriveItemStatus.Error).ToList();
                foreach (var item in errors)
                {
                    context.Error.MarkupLine($"[red]error:[/] {Markup.Escape(item.Path)} could not be indexed: {Markup.Escape(item.Error ?? "")}");
                }

                if (!p.GetValue(wait))
                {
                    context.Out.MarkupLine($"[grey]Indexing in the background; see it with: agentry drives items {Markup.Escape(driveId)}[/]");
                }
            }

            return uploaded.Any(i => i.Status == DriveItemStatus.Error) ? ExitCodes.RunFailed : ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Each local file with its path in the drive: <c>--path</c> itself for one file, else a folder for each.</summary>
    private static List<(string File, string? Path)> Targets(string[] files, string? path)
    {
        if (path is null)
        {
            return [.. files.Select(f => (f, (string?)null))];
        }

        if (files.Length == 1 && !path.EndsWith('/'))
        {
            return [(files[0], path)];
        }

        var folder = path.EndsWith('/') ? path : path + "/";
        return [.. files.Select(f => (f, (string?)(folder + System.IO.Path.GetFileName(f))))];
    }

    private static async Task<List<DriveItem>> UploadQuietlyAsync(
        CliContext context, AgentryClient client, string driveId, List<(string File, string? Path)> targets, string? description, CancellationToken cancellationToken)
    {
        var uploaded = new List<DriveItem>();
        foreach (var (file, path) in targets)
        {
            var item = await client.UploadDriveFileAsync(driveId, file, new DriveUploadOptions { Path = path, Description = description }, cancellationToken);
            uploaded.Add(item);
            if (!context.Json)
            {
                context.Out.MarkupLine($"Uploaded {Markup.Escape(file)} → {Markup.Escape(item.Path)} ({Markup.Escape(item.Id)})");
            }
        }

        return uploaded;
    }

    private static async Task<List<DriveItem>> UploadWithProgressAsync(
        CliContext context, AgentryClient client, string driveId, List<(string File, string? Path)> targets, string? description, CancellationToken cancellationToken)
    {
        var uploaded = new List<DriveItem>();
        await context.Out.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
            .StartAsync(async progress =>
            {
                var tasks = targets.Select(t => progress.AddTask(Markup.Escape(System.IO.Path.GetFileName(t.File)), maxValue: Math.Max(1, new FileInfo(t.File).Length))).ToList();
                for (var i = 0; i < targets.Count; i++)
                {
                    var task = tasks[i];
                    var options = new DriveUploadOptions { Path = targets[i].Path, Description = description, Progress = new Progress<long>(sent => task.Value = sent) };
                    uploaded.Add(await client.UploadDriveFileAsync(driveId, targets[i].File, options, cancellationToken));
                    task.Value = task.MaxValue;
                }
            });
        return uploaded;
    }

    private static Command Items(GlobalOptions global)
    {
        var id = DriveId();
        var command = new Command("items", "List a drive's files by path, with their indexing status.\n\nExample:\n  agentry drives items drv_123 --json") { id };
        command.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            using var client = context.CreateClient();
            var driveId = context.Parse.GetValue(id)!;
            var items = new List<DriveItem>();
            AgentryPage<DriveItem> page;
            do
            {
                page = await client.ListDriveItemsAsync(driveId, limit: 100, offset: items.Count, cancellationToken: cancellationToken);
                items.AddRange(page.Items);
            }
            while (page.Items.Count > 0 && items.Count < page.Total);

            if (context.Json)
            {
                context.WriteJson(items);
                return ExitCodes.Success;
            }

            context.Out.Write(ItemTable(items));
            context.Out.MarkupLine($"[grey]{items.Count} file{(items.Count == 1 ? "" : "s")}[/]");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Search(GlobalOptions global)
    {
        var id = DriveId();
        var query = new Argument<string>("query") { Description = "The words to look for" };
        var limit = new Option<int?>("--limit") { Description = "The most hits, 1–100" };
        var command = new Command("search", "Full-text search of a drive's ready files: one hit per file, best first.\n\nExample:\n  agentry drives search drv_123 \"travel expenses\" --limit 5") { id, query, limit };
        command.SetAction(CliProgram.Handle(global, async (context, cancellationToken) =>
        {
            using var client = context.CreateClient();
            var result = await client.SearchDriveAsync(context.Parse.GetValue(id)!, context.Parse.GetValue(query)!, context.Parse.GetValue(limit), cancellationToken);
            if (context.Json)
            {
                context.WriteJson(result);
                return ExitCodes.Success;
            }

            if (result.Items.Count == 0)
            {
                context.Out.MarkupLine($"No ready file matches [bold]{Markup.Escape(result.Query)}[/].");
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("Path", "Title", "Passage", "Score");
            foreach (var hit in result.Items)
            {
                var where = hit.Heading.Length > 0 ? $"[grey]{Markup.Escape(hit.Heading)}[/]\n" : "";
                table.AddRow(Markup.Escape(hit.Path), Markup.Escape(hit.Title), where + Highlighted(hit.Snippet), hit.Score.ToString("0.00", CultureInfo.InvariantCulture));
            }

            context.Out.Write(table);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The passage with the search's <c>**matches**</c> shown in bold rather than as asterisks.</summary>
    private static string Highlighted(string snippet) => Emphasis().Replace(Markup.Escape(snippet), "[bold]$1[/]");

    [System.Text.RegularExpressions.GeneratedRegex(@"\*\*(.+?)\*\*", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex Emphasis();

    private static Table ItemTable(IEnumerable<DriveItem> items)
    {
        var table = new Table().AddColumns("Id", "Path", "Status", "Size", "Type", "Modified");
        foreach (var item in items)
        {
            var status = item.Status switch
            {
                DriveItemStatus.Ready => "[green]ready[/]",
                DriveItemStatus.Error => "[red]error[/]",
                _ => "[yellow]processing[/]",
            };
            table.AddRow(
                Markup.Escape(item.Id),
                Markup.Escape(item.Path),
                status,
                item.Size.ToString("N0", CultureInfo.InvariantCulture),
                Markup.Escape(item.ContentType),
                Tables.Time(item.ModifiedAt));
        }

        return table;
    }
}
