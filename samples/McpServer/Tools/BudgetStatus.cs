using System.Text.Json.Nodes;

namespace Agents.Samples.McpServer.Tools;

/// <summary>The budget status returned with every tool result, as JSON.</summary>
internal static class BudgetStatus
{
    /// <summary>The JSON Schema of <see cref="ToJson"/>, declared as every tool's <c>outputSchema</c>.</summary>
    public static JsonElement Schema { get; } = JsonDocument.Parse("""
        {
          "type": "object",
          "properties": {
            "categories": {
              "type": "array",
              "description": "Units per tool category: used, limit and remaining (null when the category has no limit).",
              "items": {
                "type": "object",
                "properties": {
                  "name": { "type": "string" },
                  "used": { "type": "integer" },
                  "limit": { "type": ["integer", "null"] },
                  "remaining": { "type": ["integer", "null"] }
                },
                "required": ["name", "used", "limit", "remaining"]
              }
            },
            "inputTokens": { "type": "integer" },
            "outputTokens": { "type": "integer" },
            "costUsd": { "type": "number" },
            "remainingFraction": { "type": "number", "description": "What is left of the tightest budget, 0 to 1." },
            "regime": { "type": "string", "enum": ["HIGH", "MEDIUM", "LOW", "CRITICAL"] },
            "exhausted": { "type": "boolean" },
            "exhaustedReasons": { "type": "array", "items": { "type": "string" } },
            "shared": {
              "type": "object",
              "description": "Cluster mode, budget_status only: the budget every replica shares. Units per category (tool categories, tokens.input, tokens.output, cost.microusd): used, in flight, limit and remaining (null when the category has no limit).",
              "properties": {
                "categories": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "properties": {
                      "name": { "type": "string" },
                      "used": { "type": "integer" },
                      "inFlight": { "type": "integer" },
                      "limit": { "type": ["integer", "null"] },
                      "remaining": { "type": ["integer", "null"] }
                    },
                    "required": ["name", "used", "inFlight", "limit", "remaining"]
                  }
                }
              },
              "required": ["categories"]
            }
          },
          "required": ["categories", "inputTokens", "outputTokens", "costUsd", "remainingFraction", "regime", "exhausted", "exhaustedReasons"]
        }
        """).RootElement.Clone();

    public static JsonElement ToJson(BudgetSnapshot snapshot) => JsonSerializer.SerializeToElement(ToNode(snapshot));

    /// <summary>The shared budget of a cluster, as the <c>shared</c> property of <see cref="Schema"/>.</summary>
    public static JsonObject ToNode(IReadOnlyList<BudgetCategorySnapshot> shared)
    {
        var categories = new JsonArray();
        foreach (var c in shared)
        {
            categories.Add(new JsonObject
            {
                ["name"] = c.Name,
                ["used"] = c.Used,
                ["inFlight"] = c.InFlight,
                ["limit"] = c.Limit,
                ["remaining"] = c.Remaining,
            });
        }

        return new JsonObject { ["categories"] = categories };
    }

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
