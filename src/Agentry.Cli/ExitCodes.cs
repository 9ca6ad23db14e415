namespace Agentry.Cli;

/// <summary>The process exit codes every command uses, so scripts can tell outcomes apart.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>The run (or a run of a batch) ended in error, or the server failed the request.</summary>
    public const int RunFailed = 1;

    /// <summary>Bad usage or invalid input: unknown option, bad value, input that does not match the schema, unknown id.</summary>
    public const int Usage = 2;

    /// <summary>The server cannot be reached, or the API key is missing, unknown or lacks a scope.</summary>
    public const int Unavailable = 3;
}

/// <summary>A mistake of the user that the CLI found itself; the message says what to do (exit code 2).</summary>
internal sealed class CliUsageException(string message) : Exception(message);
