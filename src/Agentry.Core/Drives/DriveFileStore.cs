using System.Security.Cryptography;
using Agentry.Core.Common;
using Microsoft.Extensions.Options;

namespace Agentry.Core.Drives;

/// <summary>
/// The bytes of drive files on disk under <see cref="DrivesOptions.RootDirectory"/>: <c>&lt;driveId&gt;/&lt;blob&gt;</c>,
/// a new random blob name for every upload. An upload is streamed to a <c>.part</c> file and renamed when complete,
/// so a blob name in the database always names a whole file, and a replaced file's old bytes stay readable until
/// their item row stops naming them.
/// </summary>
public sealed class DriveFileStore
{
    private const int CopyBufferBytes = 81920;
    private readonly string _root;

    public DriveFileStore(IOptions<DrivesOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _root = Path.GetFullPath(options.Value.RootDirectory);
    }

    /// <summary>
    /// Streams <paramref name="content"/> into a new blob of <paramref name="driveId"/>, never holding more than a buffer
    /// in memory, and answers its name and size.
    /// </summary>
    /// <exception cref="ProblemException">413 when the content is longer than <paramref name="maxBytes"/> (nothing is kept).</exception>
    public async Task<(string Blob, long Size)> SaveAsync(string driveId, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var directory = Directory.CreateDirectory(Path.Combine(_root, SafeSegment(driveId))).FullName;
        var name = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var blob = $"{SafeSegment(driveId)}/{name}";
        var part = Path.Combine(directory, name + ".part");
        long size = 0;
        try
        {
            await using (var file = new FileStream(part, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBufferBytes, useAsync: true))
            {
                var buffer = new byte[CopyBufferBytes];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    size += read;
                    if (size > maxBytes)
                    {
                        throw new ProblemException(413, ProblemCodes.PayloadTooLarge, $"The file is larger than the upload limit of {maxBytes} bytes.");
                    }

                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            File.Move(part, Path.Combine(directory, name));
            return (blob, size);
        }
        catch
        {
            File.Delete(part);
            throw;
        }
    }

    /// <summary>Opens a blob for reading.</summary>
    public Stream OpenRead(string blob) =>
        new FileStream(PathOf(blob), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, CopyBufferBytes, useAsync: true);

    /// <summary>Deletes a blob; a blob already gone is fine.</summary>
    public void Delete(string blob) => File.Delete(PathOf(blob));

    /// <summary>Deletes a drive's folder with whatever is left in it.</summary>
    public void DeleteDrive(string driveId)
    {
        var directory = Path.Combine(_root, SafeSegment(driveId));
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private string PathOf(string blob)
    {
        var full = Path.GetFullPath(Path.Combine(_root, blob));
        // Blob names come from this class, but the database is outside it: never follow one out of the root.
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The blob name '{blob}' points outside the drive file root.");
        }

        return full;
    }

    private static string SafeSegment(string id) =>
        id.Length > 0 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? id
            : throw new ArgumentException($"'{id}' is not a drive id.", nameof(id));
}
