using System.Text;

namespace Agents.Planners.Prompts;

/// <summary>Renders prompt templates with <c>{{name}}</c> placeholders and validates them at configuration time.</summary>
internal static class PromptTemplate
{
    /// <summary>Replaces every <c>{{key}}</c> with its value; unknown placeholders are left as they are.</summary>
    public static string Render(string template, params (string Key, string? Value)[] values)
    {
        var builder = new StringBuilder(template);
        foreach ((string key, string? value) in values)
        {
            builder.Replace("{{" + key + "}}", value ?? string.Empty);
        }

        return builder.ToString();
    }

    /// <summary>Throws when <paramref name="template"/> is empty or lacks one of the required placeholders.</summary>
    /// <param name="template">The template text.</param>
    /// <param name="optionName">The option's name, used in the message.</param>
    /// <param name="placeholders">Placeholders that must appear.</param>
    /// <exception cref="ArgumentException">The template is empty or misses a placeholder.</exception>
    public static void Validate(string? template, string optionName, params string[] placeholders)
    {
        if (string.IsNullOrWhiteSpace(template))
        {
            throw new ArgumentException($"The prompt template '{optionName}' must not be empty.", optionName);
        }

        foreach (string placeholder in placeholders)
        {
            if (!template.Contains("{{" + placeholder + "}}", StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"The prompt template '{optionName}' must contain the placeholder {{{{{placeholder}}}}}.", optionName);
            }
        }
    }
}
