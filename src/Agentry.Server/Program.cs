using Agentry.Server;
using Agentry.Server.Hosting;

if (AnalyticsRebuildCommand.IsInvoked(args))
{
    return await AnalyticsRebuildCommand.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddAgentry();

var app = builder.Build();
app.MapAgentry();
await app.RunAsync();
return 0;

/// <summary>The entry point; public so that tests can host the app with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
