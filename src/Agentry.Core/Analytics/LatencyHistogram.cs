namespace Agentry.Core.Analytics;

/// <summary>
/// A mergeable histogram of millisecond latencies over fixed log-scale buckets: bucket <c>i</c> holds the values in
/// (γ^(i−1), γ^i] with γ = (1 + α) / (1 − α), and answers any of them with 2γ^i / (γ + 1), which is within a relative
/// error of α = <see cref="RelativeError"/> of every value in the bucket. Because the buckets are the same everywhere,
/// histograms of any slots merge by adding counts, so a percentile over any range comes from summed buckets with the
/// same error bound. Zero is counted apart and answered exactly.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>The largest relative error of a percentile (1%).</summary>
    public const double RelativeError = 0.01;

    private static readonly double Gamma = (1 + RelativeError) / (1 - RelativeError);
    private static readonly double LogGamma = Math.Log(Gamma);

    private readonly Dictionary<int, long> _buckets = [];
    private long _zeros;

    /// <summary>How many values were added.</summary>
    public long Count { get; private set; }

    /// <summary>Adds <paramref name="count"/> occurrences of <paramref name="milliseconds"/> (negative values count as zero).</summary>
    public void Add(long milliseconds, long count = 1)
    {
        if (count <= 0)
        {
            return;
        }

        Count += count;
        if (milliseconds <= 0)
        {
            _zeros += count;
            return;
        }

        var index = BucketOf(milliseconds);
        _buckets[index] = _buckets.GetValueOrDefault(index) + count;
    }

    /// <summary>Adds every count of <paramref name="other"/> to this histogram.</summary>
    public void Merge(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Count += other.Count;
        _zeros += other._zeros;
        foreach (var (index, count) in other._buckets)
        {
            _buckets[index] = _buckets.GetValueOrDefault(index) + count;
        }
    }

    /// <summary>
    /// The nearest-rank percentile <paramref name="quantile"/> (0–1): the estimate of the value of rank ⌈q·n⌉ (at least 1),
    /// within <see cref="RelativeError"/> of it. Null when the histogram is empty.
    /// </summary>
    public double? Quantile(double quantile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantile, 1);
        if (Count == 0)
        {
            return null;
        }

        var rank = Rank(quantile, Count);
        if (rank <= _zeros)
        {
            return 0;
        }

        var seen = _zeros;
        foreach (var index in _buckets.Keys.Order())
        {
            seen += _buckets[index];
            if (seen >= rank)
            {
                return 2 * Math.Pow(Gamma, index) / (Gamma + 1);
            }
        }

        throw new InvalidOperationException("The bucket counts do not add up to the histogram's count.");
    }

    /// <summary>Writes the counts compactly (zeros, then the non-empty buckets in order).</summary>
    public void WriteTo(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write7BitEncodedInt64(_zeros);
        writer.Write7BitEncodedInt(_buckets.Count);
        foreach (var index in _buckets.Keys.Order())
        {
            writer.Write7BitEncodedInt(index);
            writer.Write7BitEncodedInt64(_buckets[index]);
        }
    }

    /// <summary>Adds the counts that <see cref="WriteTo"/> wrote, read from <paramref name="reader"/>, to this histogram.</summary>
    internal void MergeEncoded(ref CellReader reader)
    {
        var zeros = reader.ReadInt64();
        _zeros += zeros;
        Count += zeros;
        for (var buckets = reader.ReadInt32(); buckets > 0; buckets--)
        {
            var index = reader.ReadInt32();
            var count = reader.ReadInt64();
            _buckets[index] = _buckets.GetValueOrDefault(index) + count;
            Count += count;
        }
    }

    /// <summary>
    /// The nearest rank ⌈q·n⌉ (at least 1), computed so that a product that is whole in exact arithmetic
    /// (0.95 × 20 = 19) is not pushed to the next rank by binary rounding.
    /// </summary>
    public static long Rank(double quantile, long count) => Math.Max(1, (long)Math.Ceiling(Math.Round(quantile * count, 9)));

    private static int BucketOf(long milliseconds) => (int)Math.Ceiling(Math.Log(milliseconds) / LogGamma);
}
