using System.Text.Json;

namespace Agents.Budget;

/// <summary>Turns a tool result into the text the model sees, with the budget block appended.</summary>
internal static class ToolResultText
{
    /// <summary>M.E.AI's default options without indentation: indented JSON wastes the model's tokens.</summary>
    private static readonly JsonSerializerOptions Compact = CreateCompact();

    public static string ToText(object? result) => result switch
    {
        null => string.Empty,
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString() ?? string.Empty,
        _ => JsonSerializer.Serialize(result, Compact.GetTypeInfo(result.GetType())),
    };

    private static JsonSerializerOptions CreateCompact()
    {
        var options = new JsonSerializerOptions(AIJsonUtilities.DefaultOptions) { WriteIndented = false };
        options.MakeReadOnly();
        return options;
    }
}
