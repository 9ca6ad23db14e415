namespace Agentry.Core.Drives;

/// <summary>Drive settings (<c>Agentry:Drives</c>), validated at start.</summary>
public sealed class DrivesOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Agentry:Drives";

    /// <summary>The default of <see cref="MaxUploadBytes"/>: 100 MiB.</summary>
    public const long DefaultMaxUploadBytes = 100L * 1024 * 1024;

    /// <summary>
    /// Where uploaded files are kept, one folder per drive; created when missing. Required; the server sets it to
    /// <c>&lt;Agentry:DataDir&gt;/drives</c>.
    /// </summary>
    public string RootDirectory { get; set; } = string.Empty;

    /// <summary>The largest file an upload may carry, in bytes; 100 MiB by default. Larger uploads answer 413.</summary>
    public long MaxUploadBytes { get; set; } = DefaultMaxUploadBytes;

    /// <summary>How many files are indexed at once in the background; 2 by default.</summary>
    public int IndexingConcurrency { get; set; } = 2;
}
