using Agents.Hosting.AspNetCore;

namespace Agents.Samples.McpServer.Hosting;

/// <summary>Checks <see cref="McpServerSettings"/>; every message names the option.</summary>
internal static class McpServerSettingsValidator
{
    public static IReadOnlyList<string> Validate(McpServerSettings settings)
    {
        var failures = new List<string>();
        var transport = settings.Transport?.Trim().ToLowerInvariant();
        if (transport is not ("stdio" or "http"))
        {
            failures.Add($"Mcp:Transport '{settings.Transport}' is unknown; use 'stdio' or 'http'.");
        }

        if (transport == "http")
        {
            failures.AddRange(ListenUrls.Validate(McpServerSettings.SectionName, settings.Urls, settings.ApiKey, "http://127.0.0.1:5090", "spend the budget"));
        }

        failures.AddRange(ExposureGuard.ValidateHosts(McpServerSettings.SectionName, settings.AllowedHosts));
        failures.AddRange(ExposureGuard.ValidateOrigins(McpServerSettings.SectionName, settings.AllowedOrigins));
        if (settings.ApiKey is { Length: > 0 and < 16 })
        {
            failures.Add("Mcp:ApiKey must be at least 16 characters long.");
        }

        var b = settings.Budget;
        if (b.SearchUnits < 1) failures.Add("Mcp:Budget:SearchUnits must be positive.");
        if (b.BrowseUnits < 1) failures.Add("Mcp:Budget:BrowseUnits must be positive.");
        if (b.MemoryCalls < 1) failures.Add("Mcp:Budget:MemoryCalls must be positive.");
        if (b.ResearchRuns < 1) failures.Add("Mcp:Budget:ResearchRuns must be positive.");
        if (b.MaxTokens < 1) failures.Add("Mcp:Budget:MaxTokens must be positive.");
        if (b.MaxCostUsd <= 0) failures.Add("Mcp:Budget:MaxCostUsd must be positive.");
        if (settings.MaxRequestBytes < 1024) failures.Add("Mcp:MaxRequestBytes must be at least 1024.");
        ValidateCluster(settings.Cluster, failures);
        return failures;
    }

    private static void ValidateCluster(McpClusterSettings cluster, List<string> failures)
    {
        if (cluster.RedisConfiguration is not { } redis)
        {
            return;
        }

        // host:port, then StackExchange.Redis options (",password=...") if any.
        var endpoint = redis.Split(',', 2)[0];
        var colon = endpoint.LastIndexOf(':');
        if (colon <= 0 || endpoint.Any(char.IsWhiteSpace) || endpoint.Contains('/', StringComparison.Ordinal)
            || !int.TryParse(endpoint.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            failures.Add($"Mcp:Cluster:Redis (--cluster) '{cluster.Redis}' is not a Redis address; use redis://host:port, for example redis://127.0.0.1:6379.");
        }

        failures.AddRange(cluster.Validate("Mcp:Cluster"));
        if (string.IsNullOrWhiteSpace(cluster.BudgetId)) failures.Add("Mcp:Cluster:BudgetId must not be empty.");
    }
}
