namespace Agentry.Sqlite.Tests;

/// <summary>A database file in its own temporary directory, deleted with the directory when disposed.</summary>
internal sealed class TempDatabase : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("agentry-sqlite-").FullName;

    public string Path => System.IO.Path.Combine(_directory, "agentry.db");

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere only leaves a stray temp directory behind; the test already has its answer.
        }
    }
}
