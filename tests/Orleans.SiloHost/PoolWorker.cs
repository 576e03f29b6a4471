using System.Globalization;
using Agents.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Agents.Budget.Orleans.SiloHost;

/// <summary>A worker process of a work pool: claims an item, works on it for a while, records its result, until the pool is finished.</summary>
public static class PoolWorker
{
    /// <summary>Runs until every item of the pool has a result.</summary>
    /// <param name="redis">The Redis configuration string.</param>
    /// <param name="clusterId">The cluster id.</param>
    /// <param name="poolId">The pool id.</param>
    /// <param name="workMilliseconds">How long each item takes.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(string redis, string clusterId, string poolId, int workMilliseconds)
    {
        using IHost host = await Worker.StartClientAsync(redis, clusterId).ConfigureAwait(false);
        var pool = new OrleansWorkPool(host.Services.GetRequiredService<IClusterClient>(), poolId);
        string me = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        Console.WriteLine("worker ready " + me);
        while (true)
        {
            WorkClaim? claim = await pool.ClaimAsync(me, TimeSpan.FromSeconds(3), CancellationToken.None).ConfigureAwait(false);
            if (claim is null)
            {
                if ((await pool.GetStatusAsync(CancellationToken.None).ConfigureAwait(false)).IsFinished)
                {
                    Console.WriteLine("pool finished");
                    return 0;
                }

                await Task.Delay(200).ConfigureAwait(false);
                continue;
            }

            await Task.Delay(workMilliseconds).ConfigureAwait(false);
            WorkCompletion done = await pool.CompleteAsync(claim.Key, claim.Key + " by " + me, CancellationToken.None).ConfigureAwait(false);
            Console.WriteLine(claim.Key + " " + done);
        }
    }
}
