using System.Text.Json;
using System.Text.Json.Nodes;
using Agents.Budget;

namespace Agents.Samples.McpServer.Tools;

/// <summary>The budget status returned with every tool result, as JSON.</summary>
internal static class BudgetStatus
{
    public static JsonElement ToJson(BudgetSnapshot snapshot) => JsonSerializer.SerializeToElement(ToNode(snapshot));

    public static JsonObject ToNode(BudgetSnapshot snapshot)
    {
        var categories = new JsonArray();
        foreach (var c in snapshot.Categories)
        {
            categories.Add(new JsonObject
            {
                ["name"] = c.Name,
                ["used"] = c.Used,
                ["limit"] = c.Limit,
                ["remaining"] = c.Remaining,
            });
        }

        var reasons = new JsonArray();
        foreach (var reason in snapshot.ExhaustedReasons)
        {
            reasons.Add(reason);
        }

        return new JsonObject
        {
            ["categories"] = categories,
            ["inputTokens"] = snapshot.InputTokens,
            ["outputTokens"] = snapshot.OutputTokens,
            ["costUsd"] = snapshot.CostUsd,
            ["remainingFraction"] = Math.Round(snapshot.RemainingFraction, 4),
            ["regime"] = snapshot.Regime.ToString().ToUpperInvariant(),
            ["exhausted"] = snapshot.IsExhausted,
            ["exhaustedReasons"] = reasons,
        };
    }
}
