using System.Text.Json;
using System.Text.Json.Serialization;

namespace Agentry.Cli;

/// <summary>A stored connection: the server's URL and the API key.</summary>
internal sealed record ConnectionProfile(string Url, string ApiKey);

/// <summary>
/// The connection profiles of <c>agentry login</c>, in <c>$XDG_CONFIG_HOME/agentry/config.json</c> (else
/// <c>~/.config/agentry/config.json</c>), readable only by the user (mode 600) because it holds API keys.
/// </summary>
internal sealed class ConnectionProfiles
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public ConnectionProfiles(string? configHome = null)
    {
        var root = configHome
            ?? (Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config"));
        FilePath = Path.Combine(root, "agentry", "config.json");
    }

    /// <summary>Where the profiles are stored.</summary>
    public string FilePath { get; }

    /// <summary>The profile named <paramref name="name"/>; null when there is none.</summary>
    public ConnectionProfile? Find(string name) =>
        Read().Profiles.TryGetValue(name, out var profile) ? profile : null;

    /// <summary>Stores <paramref name="profile"/> under <paramref name="name"/>, creating the file with mode 600.</summary>
    public void Save(string name, ConnectionProfile profile)
    {
        var file = Read();
        file.Profiles[name] = profile;
        var directory = Path.GetDirectoryName(FilePath)!;
        Directory.CreateDirectory(directory);
        var temporary = FilePath + ".tmp";
        // Created with mode 600 before any key is written, then moved into place, so the key is never readable by others.
        var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, create))
        {
            JsonSerializer.Serialize(stream, file, Json);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, FilePath, overwrite: true);
    }

    private ProfileFile Read()
    {
        if (!File.Exists(FilePath))
        {
            return new ProfileFile();
        }

        try
        {
            return JsonSerializer.Deserialize<ProfileFile>(File.ReadAllText(FilePath), Json) ?? new ProfileFile();
        }
        catch (JsonException ex)
        {
            throw new CliUsageException($"The profile file {FilePath} is not valid JSON ({ex.Message}). Fix it, or delete it and run 'agentry login' again.");
        }
    }

    private sealed class ProfileFile
    {
        [JsonPropertyName("profiles")]
        public Dictionary<string, ConnectionProfile> Profiles { get; init; } = new(StringComparer.Ordinal);
    }
}
