using System.Text.RegularExpressions;

namespace Agents.Planners.Bats;

/// <summary>The planner's reply: exploration and verification constraints, and the first checklist.</summary>
internal sealed partial record BatsPlanReply(IReadOnlyList<string> Exploration, IReadOnlyList<string> Verification, PlanChecklist Plan)
{
    /// <summary>Parses the planner's tagged sections; missing parts fall back to safe defaults.</summary>
    public static BatsPlanReply Parse(string? text, string question)
    {
        List<string> exploration = Items(Section(text, "exploration"));
        List<string> verification = Items(Section(text, "verification"));
        string? planText = Section(text, "plan");
        PlanChecklist plan = PlanChecklist.Parse(planText ?? text ?? string.Empty);
        if (exploration.Count == 0)
        {
            exploration.Add(question.Trim());
        }

        if (plan.Steps.Count == 0)
        {
            plan.AddStep("Generate candidate answers from the exploration constraints");
            plan.AddStep("Check the best candidate against every verification constraint");
        }

        return new BatsPlanReply(exploration, verification, plan);
    }

    private static string? Section(string? text, string tag)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        Match m = Regex.Match(text, $"<{tag}>(.*?)</{tag}>", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return m.Success ? m.Groups[1].Value : null;
    }

    private static List<string> Items(string? section)
    {
        var items = new List<string>();
        if (section is null)
        {
            return items;
        }

        foreach (string line in section.Split('\n'))
        {
            string item = ItemPrefix().Replace(line.Trim(), string.Empty).Trim();
            if (item.Length > 0)
            {
                items.Add(item);
            }
        }

        return items;
    }

    [GeneratedRegex(@"^(?:[-*•]|\d+[.)])\s*", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ItemPrefix();
}
