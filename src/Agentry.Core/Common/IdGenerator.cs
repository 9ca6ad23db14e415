using System.Security.Cryptography;

namespace Agentry.Core.Common;

/// <summary>
/// Makes every id in Agentry: a type prefix and a 26-character, time-ordered Crockford base-32 body
/// (48 bits of milliseconds, 80 random bits, like a ULID). Ids sort in creation order, so a list
/// ordered by id is ordered by creation and a cursor can be just the last id.
/// </summary>
public sealed class IdGenerator(TimeProvider time)
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private readonly Lock _gate = new();
    private long _lastMs = -1;
    private UInt128 _lastRandom;

    /// <summary>Prefixes of the kinds of id.</summary>
    public static class Prefix
    {
        public const string Organization = "org_";
        public const string ApiKey = "key_";
        public const string Agent = "agt_";
        public const string Revision = "rev_";
        public const string Run = "run_";
        public const string Drive = "drv_";
        public const string DriveItem = "itm_";
    }

    /// <summary>A new id with the given prefix; strictly greater than the previous id of this generator.</summary>
    public string New(string prefix)
    {
        long ms;
        UInt128 random;
        lock (_gate)
        {
            ms = Math.Max(time.GetUtcNow().ToUnixTimeMilliseconds(), _lastMs);
            if (ms == _lastMs)
            {
                // Same millisecond: increment so ids stay strictly ordered within this process.
                random = (_lastRandom + 1) & ((UInt128.One << 80) - 1);
            }
            else
            {
                Span<byte> bytes = stackalloc byte[16];
                RandomNumberGenerator.Fill(bytes);
                // Keep the top bit clear so that increments within a millisecond never wrap.
                random = new UInt128(BitConverter.ToUInt64(bytes[..8]), BitConverter.ToUInt64(bytes[8..])) & ((UInt128.One << 79) - 1);
            }

            _lastMs = ms;
            _lastRandom = random;
        }

        Span<char> body = stackalloc char[26];
        var value = ((UInt128)(ulong)ms << 80) | random;
        for (var i = 25; i >= 0; i--)
        {
            body[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }

        return string.Concat(prefix, body);
    }
}
