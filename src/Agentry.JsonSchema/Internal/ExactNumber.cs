using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Agentry.JsonSchema.Internal;

/// <summary>
/// A JSON number held exactly as sign × significand × 10^exponent, with no trailing zeros in the significand.
/// Doubles lose precision (0.1, 2^64+1, 1e308 × 2) and decimals overflow, so comparisons, equality and
/// multipleOf work on this exact form, with integer fast paths in the callers.
/// </summary>
internal readonly record struct ExactNumber(bool Negative, BigInteger Significand, long Exponent, int Digits)
{
    // Exponents beyond this are clamped; such numbers still order correctly against anything a person would write.
    private const long ExponentLimit = 1_000_000_000_000L;

    public bool IsZero => Significand.IsZero;

    public bool IsInteger => IsZero || Exponent >= 0;

    public static ExactNumber FromElement(JsonElement element) => Parse(JsonMarshal.GetRawUtf8Value(element));

    /// <summary>
    /// The number as a decimal when that is exact: short (at most 20 characters, so at most 20 significant
    /// digits) and without an exponent, which decimal could silently round (1e-30 would become 0).
    /// </summary>
    public static bool TryGetExactDecimal(JsonElement element, out decimal value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element);
        if (raw.Length <= 20 && raw.IndexOfAny((byte)'e', (byte)'E') < 0)
        {
            return element.TryGetDecimal(out value);
        }

        value = 0;
        return false;
    }

    public static ExactNumber Parse(ReadOnlySpan<byte> text)
    {
        var i = 0;
        var negative = false;
        if (i < text.Length && text[i] == (byte)'-')
        {
            negative = true;
            i++;
        }

        Span<char> digits = text.Length <= 256 ? stackalloc char[text.Length] : new char[text.Length];
        var count = 0;
        long exponent = 0;
        for (; i < text.Length && text[i] is >= (byte)'0' and <= (byte)'9'; i++)
        {
            digits[count++] = (char)text[i];
        }

        if (i < text.Length && text[i] == (byte)'.')
        {
            for (i++; i < text.Length && text[i] is >= (byte)'0' and <= (byte)'9'; i++)
            {
                digits[count++] = (char)text[i];
                exponent--;
            }
        }

        if (i < text.Length && text[i] is (byte)'e' or (byte)'E')
        {
            i++;
            var expNegative = false;
            if (i < text.Length && text[i] is (byte)'+' or (byte)'-')
            {
                expNegative = text[i] == (byte)'-';
                i++;
            }

            long e = 0;
            for (; i < text.Length && text[i] is >= (byte)'0' and <= (byte)'9'; i++)
            {
                if (e < ExponentLimit)
                {
                    e = (e * 10) + (text[i] - (byte)'0');
                }
            }

            exponent += expNegative ? -e : e;
        }

        var span = digits[..count];
        var start = 0;
        while (start < span.Length && span[start] == '0')
        {
            start++;
        }

        var end = span.Length;
        while (end > start && span[end - 1] == '0')
        {
            end--;
            exponent++;
        }

        if (start == end)
        {
            return new ExactNumber(false, BigInteger.Zero, 0, 0);
        }

        var significand = BigInteger.Parse(span[start..end], NumberStyles.None, CultureInfo.InvariantCulture);
        return new ExactNumber(negative, significand, Math.Clamp(exponent, -ExponentLimit, ExponentLimit), end - start);
    }

    public int CompareTo(ExactNumber other)
    {
        if (IsZero || other.IsZero)
        {
            return Sign.CompareTo(other.Sign);
        }

        if (Negative != other.Negative)
        {
            return Negative ? -1 : 1;
        }

        var magnitude = CompareMagnitude(other);
        return Negative ? -magnitude : magnitude;
    }

    private int Sign => IsZero ? 0 : Negative ? -1 : 1;

    private int CompareMagnitude(ExactNumber other)
    {
        // Order of magnitude first (number of digits before the decimal point), then aligned digits.
        var order = Digits + Exponent;
        var otherOrder = other.Digits + other.Exponent;
        if (order != otherOrder)
        {
            return order.CompareTo(otherOrder);
        }

        var shift = Exponent - other.Exponent; // bounded by the digit counts because the orders are equal
        return shift >= 0
            ? (Significand * BigInteger.Pow(10, (int)shift)).CompareTo(other.Significand)
            : Significand.CompareTo(other.Significand * BigInteger.Pow(10, (int)-shift));
    }

    /// <summary>True when this number divided by <paramref name="divisor"/> is an integer (divisor &gt; 0).</summary>
    public bool IsMultipleOf(ExactNumber divisor)
    {
        if (IsZero)
        {
            return true;
        }

        if (divisor.IsZero)
        {
            return false;
        }

        // Significands carry no trailing zeros, so a finer exponent than the divisor's can never divide evenly.
        if (Exponent < divisor.Exponent)
        {
            return false;
        }

        var shift = Exponent - divisor.Exponent;
        var residue = BigInteger.Remainder(Significand, divisor.Significand);
        if (residue.IsZero)
        {
            return true;
        }

        // significand × 10^shift mod d, with ModPow so a huge exponent (1e308) costs nothing.
        var power = BigInteger.ModPow(10, shift, divisor.Significand);
        return BigInteger.Remainder(residue * power, divisor.Significand).IsZero;
    }

    public override int GetHashCode() => HashCode.Combine(Negative, Significand, Exponent);

    public bool Equals(ExactNumber other) => Negative == other.Negative && Exponent == other.Exponent && Significand.Equals(other.Significand);
}
