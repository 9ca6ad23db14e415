namespace Agentry.Server.Hosting;

/// <summary>
/// Where the host tells its operator things meant for a person rather than a log, such as a generated admin key
/// (which must never reach log storage). Standard output by default; tests substitute a writer.
/// </summary>
public sealed class OperatorConsole(TextWriter writer)
{
    /// <summary>Writes one line.</summary>
    public void WriteLine(string line) => writer.WriteLine(line);
}
