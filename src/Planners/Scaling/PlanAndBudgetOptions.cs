namespace Agents.Planners.Scaling;

/// <summary>Options of <see cref="PlanAndBudgetStrategy"/>.</summary>
public sealed class PlanAndBudgetOptions
{
    /// <summary>Gets or sets the output-token budget of the whole strategy (sub-runs and synthesis). Default 8,192; at least 64.</summary>
    public long TotalOutputTokens { get; set; } = 8_192;

    /// <summary>Gets or sets the share kept for the final synthesis. Default 0.15; 0 to 0.9.</summary>
    public double SynthesisShare { get; set; } = 0.15;

    /// <summary>Gets or sets the decay schedule (front-loads early, uncertain steps). Default <see cref="DecaySchedule.Exponential"/>.</summary>
    public DecaySchedule Schedule { get; set; } = DecaySchedule.Exponential;

    /// <summary>Gets or sets the decay rate. Default 0.3; 0 to 10.</summary>
    public double DecayRate { get; set; } = 0.3;

    /// <summary>Gets or sets the most sub-questions kept from the decomposition. Default 6; 1 to 50.</summary>
    public int MaxSubQuestions { get; set; } = 6;

    /// <summary>Gets or sets chat options for the decomposition and synthesis calls.</summary>
    public ChatOptions? PlannerChatOptions { get; set; }

    /// <summary>
    /// Gets or sets the planner model's context window for the decomposition and synthesis calls (see
    /// <see cref="Context.ContextWindow"/>); <see langword="null"/>: the one the planner client announces, if any.
    /// The sub-agents use their own options.
    /// </summary>
    public Context.ContextWindow? PlannerContextWindow { get; set; }

    /// <summary>Gets or sets the prompts.</summary>
    public PlanAndBudgetPrompts Prompts { get; set; } = new();

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range (the message names it).</exception>
    /// <exception cref="ArgumentException">A prompt is invalid.</exception>
    public void Validate()
    {
        if (TotalOutputTokens < 64)
        {
            throw new ArgumentOutOfRangeException(nameof(TotalOutputTokens), TotalOutputTokens, "PlanAndBudgetOptions.TotalOutputTokens must be at least 64.");
        }

        if (!(SynthesisShare >= 0 && SynthesisShare <= 0.9))
        {
            throw new ArgumentOutOfRangeException(nameof(SynthesisShare), SynthesisShare, "PlanAndBudgetOptions.SynthesisShare must be between 0 and 0.9.");
        }

        if (!Enum.IsDefined(Schedule))
        {
            throw new ArgumentOutOfRangeException(nameof(Schedule), Schedule, "PlanAndBudgetOptions.Schedule is not a defined value.");
        }

        if (!(DecayRate >= 0 && DecayRate <= 10))
        {
            throw new ArgumentOutOfRangeException(nameof(DecayRate), DecayRate, "PlanAndBudgetOptions.DecayRate must be between 0 and 10.");
        }

        SampleRunner.ValidateCount(MaxSubQuestions, 1, 50, "PlanAndBudgetOptions.MaxSubQuestions");
        (Prompts ?? throw new ArgumentException("PlanAndBudgetOptions.Prompts must not be null.", nameof(Prompts))).Validate();
    }
}
