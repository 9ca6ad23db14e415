namespace Agentry.Core.Common;

/// <summary>One page of a list answered with <c>limit</c>/<c>offset</c> paging.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, long Total, int Limit, int Offset);

/// <summary>Where a page starts and how long it is; validated by the API before it reaches a store.</summary>
public readonly record struct PageRequest(int Limit, int Offset)
{
    /// <summary>The API's default page: 20 items from the start.</summary>
    public static PageRequest Default => new(20, 0);
}
