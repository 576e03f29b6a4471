namespace Agents.Samples.ChatApp.Conversations;

/// <summary>What became of an answer to a run's question (<see cref="RunAsks.Answer"/>).</summary>
internal enum AskAnswerOutcome
{
    /// <summary>The answer was taken; the run goes on.</summary>
    Answered,

    /// <summary>No such question in the run in progress.</summary>
    NotFound,

    /// <summary>The question was answered already (by the user, or declined by its timeout).</summary>
    AlreadyAnswered,
}
