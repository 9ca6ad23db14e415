using System.Globalization;
using Agentry.Core.Common;

namespace Agentry.Server.Http;

/// <summary>The <c>limit</c>/<c>offset</c> query parameters of every list (API.md, Lists).</summary>
public static class ListQuery
{
    /// <summary>The most items one page may hold.</summary>
    public const int MaxLimit = 100;

    /// <summary>Parses <c>limit</c> (1–100, default 20) and <c>offset</c> (≥ 0, default 0).</summary>
    /// <exception cref="ProblemException">400 naming each parameter that is out of range or not a number.</exception>
    public static PageRequest Parse(string? limit, string? offset)
    {
        var errors = new List<FieldError>();
        var pageLimit = ParseInt("limit", limit, PageRequest.Default.Limit, 1, MaxLimit, errors);
        var pageOffset = ParseInt("offset", offset, 0, 0, int.MaxValue, errors);
        if (errors.Count > 0)
        {
            throw ProblemException.BadRequest(string.Join("; ", errors.Select(e => e.Message)), errors);
        }

        return new PageRequest(pageLimit, pageOffset);
    }

    private static int ParseInt(string name, string? text, int fallback, int min, int max, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        var range = max == int.MaxValue ? $"an integer >= {min}" : $"an integer from {min} to {max}";
        errors.Add(new FieldError(name, "range", $"The query parameter '{name}' must be {range}, not '{text}'."));
        return fallback;
    }
}
