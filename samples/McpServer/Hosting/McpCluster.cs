using Agents.Budget.Orleans;
using Agents.Cluster;
using Microsoft.Extensions.Hosting;

namespace Agents.Samples.McpServer.Hosting;

/// <summary>
/// Cluster mode (<c>--cluster redis://host:port</c>): this replica joins the Orleans cluster over Redis as a silo, and its
/// tracker reserves every tool call and model call in the cluster's budget grain too (<see cref="BudgetOptions.SharedLedger"/>),
/// so N replicas spend one budget, not N.
/// </summary>
internal static class McpCluster
{
    /// <summary>Joins the cluster and registers the shared budget as <see cref="IBudgetLedger"/>; does nothing without <c>--cluster</c>.</summary>
    public static void Add(IHostApplicationBuilder builder, McpServerSettings server)
    {
        if (server.Cluster.RedisConfiguration is not { } redis)
        {
            return;
        }

        var cluster = server.Cluster;
        builder.UseOrleans(silo => silo.AddAgentsCluster(redis, cluster.Member("agents-mcp")));
        builder.Services.AddOrleansBudgetLedger(cluster.BudgetId);

        // Registered after the silo, so it runs once the silo has started, and before the MCP transport serves a call.
        builder.Services.AddHostedService(sp => new SharedBudgetLimits((OrleansBudgetLedger)sp.GetRequiredService<IBudgetLedger>(), server.Budget));
    }

    /// <summary>Writes this replica's budget settings as the shared budget's limits when it starts (every replica is configured alike).</summary>
    private sealed class SharedBudgetLimits(OrleansBudgetLedger ledger, McpBudgetSettings budget) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            foreach (var (category, limit) in Limits(budget))
            {
                await ledger.SetLimitAsync(category, limit, cancellationToken).ConfigureAwait(false);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        private static IEnumerable<(string Category, long Limit)> Limits(McpBudgetSettings budget) =>
        [
            ("search", budget.SearchUnits),
            ("browse", budget.BrowseUnits),
            ("memory", budget.MemoryCalls),
            ("research", budget.ResearchRuns),
            (SharedLedgerCategories.InputTokens, budget.MaxTokens),
            (SharedLedgerCategories.OutputTokens, budget.MaxTokens),
            (SharedLedgerCategories.CostMicroUsd, (long)Math.Ceiling(budget.MaxCostUsd * 1_000_000m)),
        ];
    }
}
