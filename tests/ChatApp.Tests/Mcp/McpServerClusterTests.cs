using System.Globalization;
using Agents.Budget.Orleans.Tests.Redis;

namespace Agents.Samples.ChatApp.Tests.Mcp;

/// <summary>McpServer <c>--cluster</c>: real replica processes on one real redis-server on loopback share one budget.</summary>
public sealed class McpServerClusterTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task Two_replicas_on_one_redis_never_spend_more_than_the_shared_limit_and_the_status_shows_the_shared_spend()
    {
        string cluster = "mcp-" + Guid.NewGuid().ToString("N");
        var (docs, workspace) = McpServerProcess.CreateFolders();
        await using var one = await McpServerProcess.StartHttpAsync(Replica(cluster, docs, workspace));
        await using var two = await McpServerProcess.StartHttpAsync(Replica(cluster, docs, workspace));
        await using var first = await McpExposureTests.ConnectAsync(McpServerProcess.Endpoint(one), null);
        await using var second = await McpExposureTests.ConnectAsync(McpServerProcess.Endpoint(two), null);
        int executed = 0;
        var refusals = new List<string>();

        // Each replica alone allows 5 search units; together they may spend 5, not 10.
        // Each query is new: a query the replica's cache answers is given back, not charged.
        await Task.WhenAll(new[] { first, second }.Select((client, c) => Task.Run(async () =>
        {
            for (int call = 0; call < 6; call++)
            {
                var result = await CallAsync(client, "web_search", new() { ["queries"] = new[] { $"lucene {c}-{call}" } });
                if (result.IsError == true)
                {
                    lock (refusals)
                    {
                        refusals.Add(Text(result));
                    }
                }
                else
                {
                    Interlocked.Increment(ref executed);
                }
            }
        })));

        Assert.True(executed == 5, $"{executed} search units were spent under a shared limit of 5.\nReplica one:\n{one.Output}\nReplica two:\n{two.Output}");
        Assert.Equal(7, refusals.Count);
        Assert.Contains(refusals, r => r.Contains("The shared search budget refused this call", StringComparison.Ordinal));

        var status = await CallAsync(second, "budget_status", new());
        Assert.False(status.IsError);
        var shared = status.StructuredContent!.Value.GetProperty("shared").GetProperty("categories").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == "search");
        Assert.Equal(5, shared.GetProperty("used").GetInt64());
        Assert.Equal(5, shared.GetProperty("limit").GetInt64());
        Assert.Equal(0, shared.GetProperty("inFlight").GetInt64());
        Assert.Contains("Shared budget of the cluster:", Text(status), StringComparison.Ordinal);
        Assert.Contains("search used: 5, in flight: 0, limit: 5", Text(status), StringComparison.Ordinal);
        long ownSpend = Category(status, "search").GetProperty("used").GetInt64();
        long otherSpend = Category(await CallAsync(first, "budget_status", new()), "search").GetProperty("used").GetInt64();
        Assert.Equal(5, ownSpend + otherSpend);
    }

    [Theory]
    [InlineData("redis://no-port-here")]
    [InlineData("redis://127.0.0.1:99999")]
    [InlineData("redis:// spaced host:6379")]
    public async Task A_bad_cluster_address_is_a_clear_error_and_the_server_exits_non_zero(string address)
    {
        var (exitCode, output) = await ServerProcess.RunToExitAsync(McpServerProcess.DllPath, _ => ["--cluster", address]);

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"Mcp:Cluster:Redis (--cluster) '{address}' is not a Redis address; use redis://host:port", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_the_cluster_options()
    {
        var (exitCode, output) = await ServerProcess.RunToExitAsync(McpServerProcess.DllPath, _ => ["--help"]);

        Assert.Equal(0, exitCode);
        foreach (var option in new[] { "--cluster", "Mcp:Cluster:Redis", "redis://host:port", "--cluster-id", "--budget-id", "--silo-port", "--gateway-port", "--advertise" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }

    private string[] Replica(string cluster, string docs, string workspace) =>
    [
        "--cluster", "redis://" + redis.ConnectionString,
        "--cluster-id", cluster,
        "--budget-id", cluster,
        "--silo-port", LocalPorts.Free().ToString(CultureInfo.InvariantCulture),
        "--gateway-port", LocalPorts.Free().ToString(CultureInfo.InvariantCulture),
        "--advertise", "127.0.0.1",
        "--search-units", "5",
        "--documents", docs,
        "--workspace", workspace,
    ];
}
