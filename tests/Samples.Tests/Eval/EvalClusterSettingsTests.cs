using Agents.Samples.Eval.App;

namespace Agents.Samples.Tests.Eval;

public sealed class EvalClusterSettingsTests
{
    private static EvalClusterSettings? Parse(params string[] args) => EvalClusterSettings.From(SampleCommandLine.Parse(EvalApp.Command(), ["--offline-web", .. args]));

    [Fact]
    public void Without_cluster_there_are_no_settings()
    {
        Assert.Null(Parse());
    }

    [Fact]
    public void Cluster_takes_a_redis_url_and_its_companions()
    {
        var settings = Parse("--cluster", "redis://127.0.0.1:6390/", "--cluster-id", "grid", "--silo-port", "12000", "--gateway-port", "12001", "--advertise", "127.0.0.1", "--cell-lease", "7");

        Assert.NotNull(settings);
        Assert.Equal("127.0.0.1:6390", settings.Redis);
        Assert.Equal("grid", settings.ClusterId);
        Assert.Equal(12000, settings.SiloPort);
        Assert.Equal(12001, settings.GatewayPort);
        Assert.Equal("127.0.0.1", settings.AdvertisedAddress?.ToString());
        Assert.Equal(TimeSpan.FromSeconds(7), settings.CellLease);
    }

    [Fact]
    public void Defaults_match_the_other_samples()
    {
        var settings = Parse("--cluster", "localhost:6379");

        Assert.NotNull(settings);
        Assert.Equal(("localhost:6379", "agents-eval", 11111, 30000), (settings.Redis, settings.ClusterId, settings.SiloPort, settings.GatewayPort));
        Assert.Null(settings.AdvertisedAddress);
        Assert.Equal(TimeSpan.FromSeconds(120), settings.CellLease);
    }

    [Theory]
    [InlineData(new[] { "--cell-lease", "5" }, "--cell-lease only applies with --cluster")]
    [InlineData(new[] { "--cluster", "redis://" }, "is not a Redis address")]
    [InlineData(new[] { "--cluster", "h:1", "--silo-port", "70000" }, "--silo-port must be at most 65535")]
    [InlineData(new[] { "--cluster", "h:1", "--silo-port", "5", "--gateway-port", "5" }, "must differ")]
    [InlineData(new[] { "--cluster", "h:1", "--advertise", "a host" }, "--advertise expects an IP address")]
    [InlineData(new[] { "--cluster", "h:1", "--cell-lease", "0" }, "--cell-lease expects a positive whole number")]
    [InlineData(new[] { "--cluster", "h:1", "--report-only" }, "leave out --cluster")]
    public void A_bad_cluster_option_is_named(string[] args, string expected)
    {
        var ex = Assert.Throws<CommandLineException>(() => Parse(args));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_pool_is_named_after_the_dataset_its_items_the_strategies_and_the_budgets()
    {
        EvalItem[] items = [new("q1", "Q?", "A"), new("q2", "Q?", "B")];
        string id = ClusterGridRunner.PoolId("set", items, ["react", "bats"], [5, 10]);

        Assert.StartsWith("eval/set/2 items ", id, StringComparison.Ordinal);
        Assert.EndsWith("/react,bats/5,10", id, StringComparison.Ordinal);
        Assert.Equal(id, ClusterGridRunner.PoolId("set", [.. items], ["react", "bats"], [5, 10]));
        Assert.NotEqual(id, ClusterGridRunner.PoolId("other", items, ["react", "bats"], [5, 10]));
        Assert.NotEqual(id, ClusterGridRunner.PoolId("set", [items[0], new("q3", "Q?", "B")], ["react", "bats"], [5, 10]));
        Assert.NotEqual(id, ClusterGridRunner.PoolId("set", items, ["react"], [5, 10]));
        Assert.NotEqual(id, ClusterGridRunner.PoolId("set", items, ["react", "bats"], [5]));
    }

    [Fact]
    public void Cell_keys_are_distinct_even_when_ids_contain_separators()
    {
        Assert.NotEqual(ClusterGridRunner.CellKey("a", 1, "b/2"), ClusterGridRunner.CellKey("a", 12, "b"));
        Assert.NotEqual(ClusterGridRunner.CellKey("a,1", 2, "b"), ClusterGridRunner.CellKey("a", 12, "b"));
        Assert.Equal(ClusterGridRunner.CellKey("react", 5, "q1"), ClusterGridRunner.CellKey("react", 5, "q1"));
    }
}
