using System.Collections.Concurrent;
using System.Globalization;
using Agents.Cluster;

namespace Agents.Budget.Orleans.Tests.Work;

[Collection(ClusterCollection.Name)]
public sealed class OrleansWorkPoolTests(ClusterFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private OrleansWorkPool NewPool(int client = 0, string? id = null) => new(fixture.Clients[client], id ?? "pool-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Many_workers_on_many_clients_run_each_item_once()
    {
        OrleansWorkPool pool = NewPool();
        string[] keys = [.. Enumerable.Range(0, 120).Select(i => "k" + i.ToString(CultureInfo.InvariantCulture))];
        Assert.Equal(120, await pool.AddAsync(keys, None));
        Assert.Equal(0, await NewPool(1, pool.PoolId).AddAsync(keys, None)); // every worker may add the whole grid
        var runs = new ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 12).Select(w => Task.Run(async () =>
        {
            var mine = NewPool(w % fixture.Clients.Count, pool.PoolId);
            while (await mine.ClaimAsync("w" + w, TimeSpan.FromMinutes(1), None) is { } claim)
            {
                runs.Add(claim.Key);
                Assert.Equal(WorkCompletion.Recorded, await mine.CompleteAsync(claim.Key, "r-" + claim.Key, None));
            }
        })));

        Assert.Equal(keys.Order(), runs.Order());
        Assert.Equal(new WorkPoolStatus(0, 0, 120), await pool.GetStatusAsync(None));
        Assert.Equal("r-k7", (await pool.GetResultsAsync(None))["k7"]);
    }

    [Fact]
    public async Task An_expired_claim_goes_to_another_worker_and_the_first_result_wins()
    {
        OrleansWorkPool pool = NewPool();
        await pool.AddAsync(["only"], None);
        WorkClaim first = (await pool.ClaimAsync("dies", TimeSpan.FromMilliseconds(300), None))!;
        Assert.Null(await pool.ClaimAsync("other", TimeSpan.FromMinutes(1), None)); // held
        Assert.Equal(new WorkPoolStatus(0, 1, 0), await pool.GetStatusAsync(None));
        await Task.Delay(600);

        WorkClaim second = (await pool.ClaimAsync("other", TimeSpan.FromMinutes(1), None))!;
        Assert.Equal("only", second.Key);
        Assert.False(await pool.RenewAsync(first, TimeSpan.FromMinutes(1), None)); // the first worker lost it
        Assert.Equal(WorkCompletion.Recorded, await pool.CompleteAsync("only", "second's", None));
        Assert.Equal(WorkCompletion.AlreadyRecorded, await pool.CompleteAsync("only", "first's, late", None));
        Assert.Equal("second's", (await pool.GetResultsAsync(None))["only"]);
        Assert.Equal(WorkCompletion.UnknownKey, await pool.CompleteAsync("never-added", "x", None));
    }

    [Fact]
    public async Task Released_items_can_be_claimed_again_and_bad_input_is_refused()
    {
        OrleansWorkPool pool = NewPool();
        await pool.AddAsync(["a"], None);
        WorkClaim claim = (await pool.ClaimAsync("w", TimeSpan.FromMinutes(1), None))!;
        Assert.True(await pool.ReleaseAsync(claim, None));
        Assert.False(await pool.ReleaseAsync(claim, None));
        Assert.Equal("a", (await pool.ClaimAsync("w2", TimeSpan.FromMinutes(1), None))!.Key);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => pool.AddAsync(["ok", " "], None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => pool.ClaimAsync("w", TimeSpan.Zero, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => pool.ClaimAsync("", TimeSpan.FromSeconds(1), None));
        await Assert.ThrowsAsync<ArgumentNullException>(() => pool.CompleteAsync("a", null!, None));
        Assert.Throws<ArgumentException>(() => new OrleansWorkPool(fixture.Clients[0], " "));
    }
}
