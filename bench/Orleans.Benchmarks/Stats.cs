namespace Agents.Budget.Orleans.Benchmarks;

internal static class Stats
{
    public static double Median(List<double> values) => Percentile(values, 50);

    public static double Percentile(List<double> values, double percent)
    {
        var sorted = values.Order().ToList();
        double rank = percent / 100 * (sorted.Count - 1);
        int low = (int)Math.Floor(rank);
        int high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }
}
