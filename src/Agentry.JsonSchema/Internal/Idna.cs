using System.Globalization;
using System.Text;

namespace Agentry.JsonSchema.Internal;

/// <summary>Punycode (RFC 3492) decoding and the IDNA checks that hostname validation needs.</summary>
internal static class Idna
{
    public static bool IsValidALabel(string label)
    {
        var decoded = DecodePunycode(label[4..]);
        if (decoded is null || decoded.All(c => c < 0x80))
        {
            return false;
        }

        return IsValidULabel(decoded);
    }

    /// <summary>
    /// RFC 5891/5892 checks on a decoded label: NFC, no leading combining mark, code points that IDNA2008 allows
    /// (approximated by Unicode category plus the RFC 5892 exception list) and the CONTEXTJ/CONTEXTO rules.
    /// </summary>
    public static bool IsValidULabel(string label)
    {
        if (label.Length == 0 || label[0] == '-' || label[^1] == '-' || (label.Length >= 4 && label[2] == '-' && label[3] == '-'))
        {
            return false;
        }

        if (!label.IsNormalized(NormalizationForm.FormC))
        {
            return false;
        }

        var cps = new List<int>(label.Length);
        for (var i = 0; i < label.Length; i++)
        {
            var cp = char.ConvertToUtf32(label, i);
            if (cp > 0xFFFF)
            {
                i++;
            }

            cps.Add(cp);
        }

        if (IsMark(cps[0]))
        {
            return false;
        }

        bool arabicIndic = false, extendedArabicIndic = false;
        for (var i = 0; i < cps.Count; i++)
        {
            var cp = cps[i];
            var prev = i > 0 ? cps[i - 1] : -1;
            var next = i + 1 < cps.Count ? cps[i + 1] : -1;
            switch (cp)
            {
                case 0x00B7: // MIDDLE DOT: only in "l·l" (Catalan)
                    if (prev != 'l' || next != 'l')
                    {
                        return false;
                    }

                    continue;
                case 0x0375: // GREEK KERAIA: followed by Greek
                    if (!IsGreek(next))
                    {
                        return false;
                    }

                    continue;
                case 0x05F3 or 0x05F4: // HEBREW GERESH/GERSHAYIM: preceded by Hebrew
                    if (!IsHebrew(prev))
                    {
                        return false;
                    }

                    continue;
                case 0x30FB: // KATAKANA MIDDLE DOT: label holds Hiragana, Katakana or Han
                    if (!cps.Any(c => c != 0x30FB && IsJapanese(c)))
                    {
                        return false;
                    }

                    continue;
                case 0x200D: // ZERO WIDTH JOINER: after a virama
                    if (!IsVirama(prev))
                    {
                        return false;
                    }

                    continue;
                case 0x200C: // ZERO WIDTH NON-JOINER: after a virama, or between joining letters
                    if (!IsVirama(prev) && !(i > 0 && i + 1 < cps.Count && IsJoining(prev) && IsJoining(next)))
                    {
                        return false;
                    }

                    continue;
                case >= 0x0660 and <= 0x0669:
                    arabicIndic = true;
                    continue;
                case >= 0x06F0 and <= 0x06F9:
                    extendedArabicIndic = true;
                    continue;
                case 0x00DF or 0x03C2 or 0x06FD or 0x06FE or 0x0F0B or 0x3007 or '-':
                    continue; // PVALID exceptions
                case 0x0640 or 0x07FA or 0x302E or 0x302F or (>= 0x3031 and <= 0x3035) or 0x303B:
                    return false; // DISALLOWED exceptions
            }

            var category = CharUnicodeInfo.GetUnicodeCategory(cp);
            if (category is not (UnicodeCategory.LowercaseLetter or UnicodeCategory.OtherLetter or UnicodeCategory.ModifierLetter
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.DecimalDigitNumber))
            {
                return false;
            }
        }

        return !(arabicIndic && extendedArabicIndic);
    }

    private static bool IsMark(int cp) => CharUnicodeInfo.GetUnicodeCategory(cp) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    private static bool IsGreek(int cp) => cp is (>= 0x0370 and <= 0x03FF) or (>= 0x1F00 and <= 0x1FFF);

    private static bool IsHebrew(int cp) => cp is (>= 0x0590 and <= 0x05FF) or (>= 0xFB1D and <= 0xFB4F);

    private static bool IsJapanese(int cp) => cp is (>= 0x3040 and <= 0x30FF) or (>= 0x31F0 and <= 0x31FF) or (>= 0x3400 and <= 0x4DBF)
        or (>= 0x4E00 and <= 0x9FFF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x20000 and <= 0x3FFFF);

    // Arabic, Syriac, N'Ko and Mongolian letters: the scripts whose joining types make ZWNJ meaningful.
    private static bool IsJoining(int cp) => cp is (>= 0x0620 and <= 0x06FF) or (>= 0x0700 and <= 0x074F) or (>= 0x07C0 and <= 0x07FF) or (>= 0x1800 and <= 0x18AF);

    private static readonly HashSet<int> Viramas =
    [
        0x094D, 0x09CD, 0x0A4D, 0x0ACD, 0x0B4D, 0x0BCD, 0x0C4D, 0x0CCD, 0x0D3B, 0x0D3C, 0x0D4D, 0x0DCA, 0x0E3A, 0x0EBA, 0x0F84,
        0x1039, 0x103A, 0x1714, 0x1715, 0x1734, 0x17D2, 0x1A60, 0x1B44, 0x1BAA, 0x1BAB, 0x1BF2, 0x1BF3, 0x2D7F, 0xA806, 0xA82C,
        0xA8C4, 0xA953, 0xA9C0, 0xAAF6, 0xABED, 0x10A3F, 0x11046, 0x1107F, 0x110B9, 0x11133, 0x11134, 0x111C0, 0x11235, 0x112EA,
        0x1134D, 0x11442, 0x114C2, 0x115BF, 0x1163F, 0x116B6, 0x1172B, 0x11839, 0x1193D, 0x1193E, 0x119E0, 0x11A34, 0x11A47,
        0x11A99, 0x11C3F, 0x11D44, 0x11D45, 0x11D97,
    ];

    private static bool IsVirama(int cp) => Viramas.Contains(cp);

    private static readonly char[] Separators = ['.', '\u3002', '\uFF0E', '\uFF61'];

    /// <summary>RFC 5890 internationalised host name: U-labels or A-labels, any IDNA full stop as separator.</summary>
    public static bool IsIdnHostname(string s)
    {
        if (s.Length == 0)
        {
            return false;
        }

        var labels = s.Split(Separators);
        var uLabels = new List<string>(labels.Length);
        var total = labels.Length - 1;
        foreach (var label in labels)
        {
            if (label.Length == 0)
            {
                return false;
            }

            string aLabel;
            if (label.All(char.IsAscii))
            {
                aLabel = label;
                if (label.Length > 63)
                {
                    return false;
                }

                if (label.StartsWith("xn--", StringComparison.OrdinalIgnoreCase))
                {
                    var decoded = DecodePunycode(label[4..]);
                    if (decoded is null || decoded.All(char.IsAscii) || !string.Equals(EncodePunycode(decoded), label[4..], StringComparison.OrdinalIgnoreCase) || !IsValidULabel(decoded))
                    {
                        return false;
                    }

                    uLabels.Add(decoded);
                }
                else
                {
                    if (label[0] == '-' || label[^1] == '-' || (label.Length >= 4 && label[2] == '-' && label[3] == '-') || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
                    {
                        return false;
                    }

                    uLabels.Add(label);
                }
            }
            else
            {
                if (!IsValidULabel(label))
                {
                    return false;
                }

                aLabel = "xn--" + EncodePunycode(label);
                if (aLabel.Length > 63)
                {
                    return false;
                }

                uLabels.Add(label);
            }

            total += aLabel.Length;
        }

        return total <= 253 && SatisfiesBidiRule(uLabels);
    }

    private enum BidiClass
    {
        L,
        R,
        AL,
        AN,
        EN,
        NSM,
        Other,
    }

    private static BidiClass Classify(int cp)
    {
        if (CharUnicodeInfo.GetUnicodeCategory(cp) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark)
        {
            return BidiClass.NSM;
        }

        return cp switch
        {
            >= '0' and <= '9' or (>= 0x06F0 and <= 0x06F9) => BidiClass.EN,
            (>= 0x0660 and <= 0x0669) or 0x066B or 0x066C => BidiClass.AN,
            (>= 0x0590 and <= 0x05FF) or (>= 0x07C0 and <= 0x085F) or (>= 0xFB1D and <= 0xFB4F) => BidiClass.R,
            (>= 0x0600 and <= 0x07BF) or (>= 0x0860 and <= 0x08FF) or (>= 0xFB50 and <= 0xFDFF) or (>= 0xFE70 and <= 0xFEFF) => BidiClass.AL,
            '-' or 0x200C or 0x200D => BidiClass.Other,
            _ => BidiClass.L,
        };
    }

    /// <summary>RFC 5893: applies only to domains holding a right-to-left label.</summary>
    private static bool SatisfiesBidiRule(List<string> labels)
    {
        var classes = labels.Select(l => CodePoints(l).Select(Classify).ToList()).ToList();
        if (!classes.Any(c => c.Any(b => b is BidiClass.R or BidiClass.AL or BidiClass.AN)))
        {
            return true;
        }

        foreach (var c in classes)
        {
            var last = c.FindLastIndex(b => b != BidiClass.NSM);
            if (last < 0)
            {
                return false;
            }

            if (c[0] is BidiClass.R or BidiClass.AL)
            {
                if (c.Contains(BidiClass.L) || c[last] is not (BidiClass.R or BidiClass.AL or BidiClass.EN or BidiClass.AN) ||
                    (c.Contains(BidiClass.EN) && c.Contains(BidiClass.AN)))
                {
                    return false;
                }
            }
            else if (c[0] == BidiClass.L)
            {
                if (c.Any(b => b is BidiClass.R or BidiClass.AL or BidiClass.AN) || c[last] is not (BidiClass.L or BidiClass.EN))
                {
                    return false;
                }
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<int> CodePoints(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var cp = char.ConvertToUtf32(s, i);
            if (cp > 0xFFFF)
            {
                i++;
            }

            yield return cp;
        }
    }

    /// <summary>Encodes a label to Punycode (RFC 3492), without the "xn--" prefix.</summary>
    public static string EncodePunycode(string input)
    {
        const int Base = 36, TMin = 1, TMax = 26, Skew = 38, Damp = 700, InitialBias = 72, InitialN = 128;
        var cps = CodePoints(input).ToList();
        var output = new StringBuilder();
        foreach (var cp in cps.Where(c => c < 0x80))
        {
            output.Append((char)cp);
        }

        var basic = output.Length;
        var handled = basic;
        if (basic > 0)
        {
            output.Append('-');
        }

        long n = InitialN, delta = 0, bias = InitialBias;
        while (handled < cps.Count)
        {
            var m = cps.Where(c => c >= n).Min();
            delta += (m - n) * (handled + 1);
            n = m;
            foreach (var c in cps)
            {
                if (c < n)
                {
                    delta++;
                }

                if (c == n)
                {
                    var q = delta;
                    for (long k = Base; ; k += Base)
                    {
                        var t = k <= bias ? TMin : k >= bias + TMax ? TMax : k - bias;
                        if (q < t)
                        {
                            break;
                        }

                        output.Append(Digit(t + ((q - t) % (Base - t))));
                        q = (q - t) / (Base - t);
                    }

                    output.Append(Digit(q));
                    bias = Adapt(delta, handled + 1, handled == basic);
                    delta = 0;
                    handled++;
                }
            }

            delta++;
            n++;
        }

        return output.ToString();

        static char Digit(long d) => (char)(d < 26 ? 'a' + d : '0' + (d - 26));

        static long Adapt(long delta, int count, bool first)
        {
            delta = first ? delta / Damp : delta / 2;
            delta += delta / count;
            long k = 0;
            while (delta > ((Base - TMin) * TMax) / 2)
            {
                delta /= Base - TMin;
                k += Base;
            }

            return k + (((Base - TMin + 1) * delta) / (delta + Skew));
        }
    }

    /// <summary>Decodes the part after "xn--"; null when it is not valid Punycode.</summary>
    public static string? DecodePunycode(string input)
    {
        const int Base = 36, TMin = 1, TMax = 26, Skew = 38, Damp = 700, InitialBias = 72, InitialN = 128;
        var output = new List<int>();
        var delimiter = input.LastIndexOf('-');
        if (delimiter > 0)
        {
            foreach (var c in input[..delimiter])
            {
                if (c >= 0x80)
                {
                    return null;
                }

                output.Add(c);
            }
        }

        long n = InitialN, i = 0, bias = InitialBias;
        var pos = delimiter > 0 ? delimiter + 1 : 0;
        while (pos < input.Length)
        {
            var oldi = i;
            long w = 1;
            for (long k = Base; ; k += Base)
            {
                if (pos >= input.Length)
                {
                    return null;
                }

                var c = input[pos++];
                int digit = c switch
                {
                    >= '0' and <= '9' => c - '0' + 26,
                    >= 'a' and <= 'z' => c - 'a',
                    >= 'A' and <= 'Z' => c - 'A',
                    _ => -1,
                };
                if (digit < 0)
                {
                    return null;
                }

                i += digit * w;
                var t = k <= bias ? TMin : k >= bias + TMax ? TMax : k - bias;
                if (digit < t)
                {
                    break;
                }

                w *= Base - t;
                if (i > int.MaxValue || w > int.MaxValue)
                {
                    return null;
                }
            }

            var count = output.Count + 1;
            var delta = i - oldi;
            delta = oldi == 0 ? delta / Damp : delta / 2;
            delta += delta / count;
            long kk = 0;
            while (delta > ((Base - TMin) * TMax) / 2)
            {
                delta /= Base - TMin;
                kk += Base;
            }

            bias = kk + (((Base - TMin + 1) * delta) / (delta + Skew));
            n += i / count;
            i %= count;
            if (n > 0x10FFFF || (n >= 0xD800 && n <= 0xDFFF))
            {
                return null;
            }

            output.Insert((int)i, (int)n);
            i++;
        }

        var sb = new StringBuilder();
        foreach (var cp in output)
        {
            sb.Append(char.ConvertFromUtf32(cp));
        }

        return sb.ToString();
    }
}
