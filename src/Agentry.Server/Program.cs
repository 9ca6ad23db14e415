using Agentry.Server;

var builder = WebApplication.CreateBuilder(args);
builder.AddAgentry();

var app = builder.Build();
app.MapAgentry();
app.Run();

/// <summary>The entry point; public so that tests can host the app with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
