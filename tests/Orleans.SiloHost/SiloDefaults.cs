using Orleans.Configuration;

namespace Agents.Budget.Orleans.SiloHost;

/// <summary>Settings shared by the test silos and the test clients.</summary>
public static class SiloDefaults
{
    /// <summary>The service id of every test cluster (the cluster id differs per test).</summary>
    public const string ServiceId = "agents-budget-tests";

    /// <summary>Declares a killed silo dead within a few seconds instead of the production default of about a minute.</summary>
    /// <param name="options">The membership options.</param>
    public static void FastFailureDetection(ClusterMembershipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ProbeTimeout = TimeSpan.FromSeconds(1);
        options.NumMissedProbesLimit = 2;
        options.NumVotesForDeathDeclaration = 1;
        options.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
        options.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(10);
    }
}
