namespace Agents.Planners.Runs;

/// <summary>What an agent run is asked to do.</summary>
public sealed class AgentRunRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="question">The question to answer.</param>
    /// <exception cref="ArgumentException"><paramref name="question"/> is null, empty or white space.</exception>
    public AgentRunRequest(string question)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(question);
        Question = question;
    }

    /// <summary>Gets the question to answer.</summary>
    public string Question { get; }

    /// <summary>Gets extra context given with the question (for example findings of earlier sub-questions); optional.</summary>
    public string? Context { get; init; }

    /// <summary>
    /// Gets a value indicating whether the model's text streams as <see cref="Events.AnswerDeltaEvent"/>s while it
    /// arrives, for callers that observe the run's events (<see cref="AgentRunner.RunStreamingAsync(AgentRunRequest, CancellationToken)"/>
    /// or an event callback). Default <see langword="false"/>: each reply arrives whole. The spend is the same either way:
    /// a streamed call is reserved, counted and committed like any other.
    /// </summary>
    public bool StreamAnswer { get; init; }

    /// <summary>
    /// Gets an output-token budget for this run alone (on top of the shared tracker's limits); the run stops with
    /// <see cref="AgentRunStatus.BudgetExhausted"/> once its model output reaches it. <see langword="null"/>: none.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public long? MaxOutputTokens
    {
        get;
        init
        {
            if (value is <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(MaxOutputTokens), value, "MaxOutputTokens must be positive when set.");
            }

            field = value;
        }
    }
}
