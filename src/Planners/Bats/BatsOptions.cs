namespace Agents.Planners.Bats;

/// <summary>Options of <see cref="BatsAgent"/>, with the defaults documented on each property.</summary>
public sealed class BatsOptions : IToolLoopOptions
{
    /// <summary>Gets or sets when attempts stop. Default <see cref="BatsMode.EarlyStop"/>.</summary>
    public BatsMode Mode { get; set; } = BatsMode.EarlyStop;

    /// <summary>Gets or sets the most attempts (a PIVOT or an iteration cap starts a new one). Default 5; 1 to 100.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Gets or sets the most acting model calls per attempt. Default 20; 1 to 1,000.</summary>
    public int MaxIterationsPerAttempt { get; set; } = 20;

    /// <summary>
    /// Gets or sets K: once an attempt's context holds more than K steps, older reasoning is replaced by the
    /// plan and the latest verification summary. Default 10; 0 turns it off.
    /// </summary>
    public int SummarizeAfterIterations { get; set; } = 10;

    /// <summary>Gets or sets the longest tool result kept, in characters. Default 150,000 (as in the paper).</summary>
    public int MaxToolResultChars { get; set; } = 150_000;

    /// <summary>Gets or sets the longest text of one trajectory step shown to the verifier. Default 4,000.</summary>
    public int MaxTrajectoryStepChars { get; set; } = 4_000;

    /// <summary>Gets or sets how the judge chooses among verified answers. Default <see cref="BatsJudgeMode.BestOfN"/>.</summary>
    public BatsJudgeMode JudgeMode { get; set; } = BatsJudgeMode.BestOfN;

    /// <summary>
    /// Gets or sets the decision used when the verifier's reply is invalid even after one repair request.
    /// Default <see cref="VerificationDecision.Continue"/>; <see cref="VerificationDecision.Success"/> is not allowed
    /// (an unverified answer is never accepted).
    /// </summary>
    public VerificationDecision FallbackDecision { get; set; } = VerificationDecision.Continue;

    /// <summary>Gets or sets chat options for every call (model id, temperature, ...); tools are set by the agent.</summary>
    public ChatOptions? ChatOptions { get; set; }

    /// <summary>
    /// Gets or sets the model's context window. Every request then stays within it minus its reply reserve: older
    /// tool results are condensed and the oldest turns dropped (see <see cref="Context.ContextWindowChatReducer"/>).
    /// <see langword="null"/> (default): the window the chat client announces (<see cref="Context.ContextWindow.FromChatClient"/>), if any.
    /// </summary>
    public Context.ContextWindow? ContextWindow { get; set; }

    /// <summary>Gets or sets the prompt texts.</summary>
    public BatsPrompts Prompts { get; set; } = new();

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A number or enum is out of range (the message names the option).</exception>
    /// <exception cref="ArgumentException">A prompt template is invalid.</exception>
    public void Validate()
    {
        Check(MaxAttempts, 1, 100, nameof(MaxAttempts));
        Check(MaxIterationsPerAttempt, 1, 1_000, nameof(MaxIterationsPerAttempt));
        Check(SummarizeAfterIterations, 0, 1_000, nameof(SummarizeAfterIterations));
        Check(MaxToolResultChars, 100, int.MaxValue, nameof(MaxToolResultChars));
        Check(MaxTrajectoryStepChars, 100, int.MaxValue, nameof(MaxTrajectoryStepChars));
        if (!Enum.IsDefined(Mode))
        {
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "BatsOptions.Mode is not a defined value.");
        }

        if (!Enum.IsDefined(JudgeMode))
        {
            throw new ArgumentOutOfRangeException(nameof(JudgeMode), JudgeMode, "BatsOptions.JudgeMode is not a defined value.");
        }

        if (FallbackDecision is not (VerificationDecision.Continue or VerificationDecision.Pivot))
        {
            throw new ArgumentOutOfRangeException(nameof(FallbackDecision), FallbackDecision, "BatsOptions.FallbackDecision must be Continue or Pivot.");
        }

        if (Prompts is null)
        {
            throw new ArgumentException("BatsOptions.Prompts must not be null.", nameof(Prompts));
        }

        Prompts.Validate();
    }

    private static void Check(int value, int min, int max, string name)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"BatsOptions.{name} must be between {min} and {max}.");
        }
    }
}
