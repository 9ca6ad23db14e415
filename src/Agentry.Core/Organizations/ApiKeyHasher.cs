using System.Security.Cryptography;
using System.Text;

namespace Agentry.Core.Organizations;

/// <summary>
/// Makes API key secrets and the hashes they are stored as. Only the SHA-256 of a secret is ever stored: the
/// secrets are long random strings, so a fast unsalted hash is enough (there is nothing to brute-force) and
/// lets a request's key be found with one indexed lookup.
/// </summary>
public static class ApiKeyHasher
{
    /// <summary>Every secret starts with this, so leaked keys are easy to recognise (secret scanners, logs).</summary>
    public const string SecretPrefix = "agentry_";

    /// <summary>32 base-62 characters: about 190 bits of randomness.</summary>
    private const int SecretLength = 32;

    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>A new random secret: <c>agentry_</c> followed by 32 base-62 characters.</summary>
    public static string NewSecret() => SecretPrefix + RandomNumberGenerator.GetString(Base62, SecretLength);

    /// <summary>The lowercase hex SHA-256 of <paramref name="secret"/>, as stored in <see cref="ApiKey.KeyHash"/>.</summary>
    public static string Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }
}
