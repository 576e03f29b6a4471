namespace Agents.Budget;

/// <summary>The unit limits of the tool categories.</summary>
internal sealed class CategoryUnitLimits : BudgetLimit
{
    public override int RefusalRank => 3;

    public override void AddReached(BudgetCounters c, TimeSpan elapsed, List<(string Budget, string Reason)> reached)
    {
        foreach (CategoryState s in c.Categories)
        {
            if (s.Limit is { } l && s.Used >= l)
            {
                reached.Add((s.Name, $"{s.Name} budget exhausted ({s.Used} of {l} units used)"));
            }
        }
    }

    public override bool IsReached(BudgetCounters c, TimeSpan elapsed)
    {
        foreach (CategoryState s in c.Categories)
        {
            if (s.Limit is { } l && s.Used >= l)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a category is spent that can no longer be extended by asking: its extension was declined.</summary>
    public static bool IsReachedAfterDecline(BudgetCounters c)
    {
        foreach (CategoryState s in c.Categories)
        {
            if (s.Limit is { } l && s.Used >= l && s.ExtensionDeclined)
            {
                return true;
            }
        }

        return false;
    }

    public override void AddOverruns(BudgetCounters c, TimeSpan elapsed, List<BudgetOverrun> overruns)
    {
        foreach (CategoryState s in c.Categories)
        {
            if (s.Limit is { } l && s.Used > l)
            {
                overruns.Add(new BudgetOverrun(s.Name, s.Used, l));
            }
        }
    }

    public override double RemainingFraction(BudgetCounters c, TimeSpan elapsed)
    {
        double fraction = 1;
        foreach (CategoryState s in c.Categories)
        {
            if (s.Limit is { } l)
            {
                fraction = Math.Min(fraction, (double)(l - s.Used) / l);
            }
        }

        return fraction;
    }

    public override string? RefuseTool(BudgetCounters c, in ToolCallCheck call)
    {
        CategoryState s = call.Category;
        if (s.Limit is not { } limit || s.Spent + call.Units <= limit)
        {
            return null;
        }

        long left = limit - s.Spent;
        string inFlight = s.Spent > s.Used ? $", {s.Spent - s.Used} more held by calls in flight" : string.Empty;
        return left <= 0
            ? $"The {s.Name} budget is exhausted ({s.Used} of {limit} units used{inFlight}). {RefusalSentence} Do not call {s.Name} tools again; use another tool or give your final answer now."
            : $"The {s.Name} budget has {left} unit(s) left but this call needs {call.Units}. {RefusalSentence} Use at most {left} item(s) per call, or give your final answer now.";
    }

    public override void AppendBlockLines(BudgetCounters c, TimeSpan elapsed, StringBuilder sb, int start)
    {
        foreach (CategoryState s in c.Categories)
        {
            if (s.Limit is { } limit)
            {
                AppendLine(sb, start, s.DisplayName, s.Used, limit - s.Used);
            }
            else if (s.Used > 0)
            {
                AppendLine(sb, start, s.DisplayName, s.Used, null);
            }
        }
    }

    public override void AppendGuideline(BudgetCounters c, StringBuilder sb)
    {
        foreach (CategoryState s in c.Categories)
        {
            if (s.Limit is { } l)
            {
                AppendItem(sb, $"{s.Name} {l} units");
            }
        }
    }
}
