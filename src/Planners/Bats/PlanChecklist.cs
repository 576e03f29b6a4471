using System.Text;
using System.Text.RegularExpressions;

namespace Agents.Planners.Bats;

/// <summary>
/// The tree-structured checklist plan BATS keeps in context: <c>[ ]</c> pending, <c>[x]</c> done,
/// <c>[!]</c> failed, <c>[~]</c> partial; numbered branches (<c>1.1</c>, <c>1.2</c>) for alternative leads;
/// tool units spent per step. Steps are never deleted: updates change a step's state or add steps.
/// </summary>
/// <remarks>Not thread-safe; each run owns its plan.</remarks>
public sealed partial class PlanChecklist
{
    private readonly List<PlanStep> _steps = [];
    private string? _lastTouched;

    /// <summary>Gets the steps in plan order (by hierarchical number).</summary>
    public IReadOnlyList<PlanStep> Steps => _steps;

    /// <summary>
    /// Gets the step tool spend is logged against: the step most recently updated to pending or partial,
    /// else the first pending or partial step; <see langword="null"/> when every step is done or failed.
    /// </summary>
    public string? ActiveStepId
    {
        get
        {
            if (_lastTouched is not null && Find(_lastTouched) is { Status: PlanStepStatus.Pending or PlanStepStatus.Partial })
            {
                return _lastTouched;
            }

            return _steps.FirstOrDefault(s => s.Status is PlanStepStatus.Pending or PlanStepStatus.Partial)?.Id;
        }
    }

    /// <summary>Parses a checklist; lines that are not steps are ignored.</summary>
    /// <param name="text">Lines such as <c>1.2 [~] Check the lead (spent: 3)</c>.</param>
    /// <returns>The plan (possibly empty).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static PlanChecklist Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var plan = new PlanChecklist();
        plan.ApplyUpdate(text);
        plan._lastTouched = null;
        return plan;
    }

    /// <summary>
    /// Applies update lines: a known number changes that step (state, and description or spend when given;
    /// spend never decreases), an unknown number adds a step, a line without a number adds a top-level step.
    /// </summary>
    /// <param name="text">The update lines.</param>
    /// <returns>How many steps were added or changed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public int ApplyUpdate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int changed = 0;
        foreach (string rawLine in text.Split('\n'))
        {
            Match m = StepLine().Match(rawLine.TrimEnd('\r'));
            if (!m.Success)
            {
                continue;
            }

            string id = m.Groups["id"].Success ? m.Groups["id"].Value : NextTopLevelId();
            PlanStepStatus status = ParseStatus(m.Groups["s"].Value[0]);
            string description = m.Groups["text"].Value.Trim();
            long spent = m.Groups["spent"].Success ? long.Parse(m.Groups["spent"].Value, CultureInfo.InvariantCulture) : 0;

            int index = _steps.FindIndex(s => s.Id == id);
            if (index >= 0)
            {
                PlanStep old = _steps[index];
                var updated = old with
                {
                    Status = status,
                    Description = description.Length > 0 ? description : old.Description,
                    SpentUnits = Math.Max(old.SpentUnits, spent),
                };
                if (updated != old)
                {
                    _steps[index] = updated;
                    changed++;
                }
            }
            else
            {
                if (description.Length == 0)
                {
                    continue;
                }

                Insert(new PlanStep(id, description, status, spent));
                changed++;
            }

            _lastTouched = id;
        }

        return changed;
    }

    /// <summary>Adds tool units to a step's spend.</summary>
    /// <param name="stepId">The step number.</param>
    /// <param name="units">Units to add (at least 0).</param>
    /// <returns><see langword="false"/> when no step has that number.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is negative.</exception>
    public bool AddSpent(string stepId, long units)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(units);
        int index = _steps.FindIndex(s => s.Id == stepId);
        if (index < 0)
        {
            return false;
        }

        _steps[index] = _steps[index] with { SpentUnits = _steps[index].SpentUnits + units };
        return true;
    }

    /// <summary>Sets a step's state (the step stays in the plan).</summary>
    /// <param name="stepId">The step number.</param>
    /// <param name="status">The new state.</param>
    /// <returns><see langword="false"/> when no step has that number.</returns>
    public bool SetStatus(string stepId, PlanStepStatus status)
    {
        int index = _steps.FindIndex(s => s.Id == stepId);
        if (index < 0)
        {
            return false;
        }

        _steps[index] = _steps[index] with { Status = status };
        return true;
    }

    /// <summary>Adds a step with the next free top-level number.</summary>
    /// <param name="description">What the step does.</param>
    /// <returns>The new step.</returns>
    /// <exception cref="ArgumentException"><paramref name="description"/> is null or white space.</exception>
    public PlanStep AddStep(string description)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        var step = new PlanStep(NextTopLevelId(), description.Trim(), PlanStepStatus.Pending, 0);
        Insert(step);
        return step;
    }

    /// <summary>Gets a step by number.</summary>
    /// <param name="stepId">The step number.</param>
    /// <returns>The step, or <see langword="null"/>.</returns>
    public PlanStep? Find(string stepId) => _steps.Find(s => s.Id == stepId);

    /// <summary>Renders the plan, one step a line, indented two spaces per level.</summary>
    /// <returns>The checklist text (parseable by <see cref="Parse(string)"/>).</returns>
    public string Render()
    {
        var builder = new StringBuilder();
        foreach (PlanStep step in _steps)
        {
            builder.Append(' ', step.Depth * 2)
                .Append(step.Id).Append(" [").Append(StatusChar(step.Status)).Append("] ")
                .Append(step.Description);
            if (step.SpentUnits > 0)
            {
                builder.Append(" (spent: ").Append(step.SpentUnits.ToString(CultureInfo.InvariantCulture)).Append(')');
            }

            builder.Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>Copies the plan.</summary>
    /// <returns>An independent copy.</returns>
    public PlanChecklist Clone()
    {
        var copy = new PlanChecklist { _lastTouched = _lastTouched };
        copy._steps.AddRange(_steps);
        return copy;
    }

    /// <inheritdoc />
    public override string ToString() => Render();

    /// <summary>Gets the check-box character for a state.</summary>
    /// <param name="status">The state.</param>
    /// <returns><c>' '</c>, <c>'x'</c>, <c>'!'</c> or <c>'~'</c>.</returns>
    public static char StatusChar(PlanStepStatus status) => status switch
    {
        PlanStepStatus.Done => 'x',
        PlanStepStatus.Failed => '!',
        PlanStepStatus.Partial => '~',
        _ => ' ',
    };

    private static PlanStepStatus ParseStatus(char c) => c switch
    {
        'x' or 'X' => PlanStepStatus.Done,
        '!' => PlanStepStatus.Failed,
        '~' => PlanStepStatus.Partial,
        _ => PlanStepStatus.Pending,
    };

    private string NextTopLevelId()
    {
        int max = 0;
        foreach (PlanStep step in _steps)
        {
            string head = step.Id.Split('.')[0];
            if (int.TryParse(head, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > max)
            {
                max = n;
            }
        }

        return (max + 1).ToString(CultureInfo.InvariantCulture);
    }

    private void Insert(PlanStep step)
    {
        // Plans grow at the end; only a new branch in the middle needs a search.
        if (_steps.Count == 0 || CompareIds(_steps[^1].Id, step.Id) <= 0)
        {
            _steps.Add(step);
            return;
        }

        int index = _steps.FindIndex(s => CompareIds(s.Id, step.Id) > 0);
        _steps.Insert(index, step);
    }

    private static int CompareIds(string left, string right)
    {
        ReadOnlySpan<char> a = left;
        ReadOnlySpan<char> b = right;
        while (true)
        {
            int x = NextSegment(ref a);
            int y = NextSegment(ref b);
            if (x != y)
            {
                return x.CompareTo(y);
            }

            if (x < 0)
            {
                return 0;
            }
        }
    }

    /// <summary>Reads the next number of a dotted id; -1 at the end.</summary>
    private static int NextSegment(ref ReadOnlySpan<char> id)
    {
        if (id.IsEmpty)
        {
            return -1;
        }

        int dot = id.IndexOf('.');
        ReadOnlySpan<char> segment = dot < 0 ? id : id[..dot];
        id = dot < 0 ? [] : id[(dot + 1)..];
        return int.Parse(segment, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^\s*(?:[-*]\s*)?(?:(?<id>\d{1,6}(?:\.\d{1,6}){0,7})\.?\s*)?\[(?<s>[ xX!~])\]\s*(?<text>.*?)\s*(?:\((?:spent|units)\s*:\s*(?<spent>\d{1,12})\s*(?:units?)?\))?\s*$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex StepLine();
}
