using Agents.Plugins.Memory;

namespace Agents.Planners.DeepResearch;

/// <summary>Options for a <see cref="DeepResearchWorkflow"/>.</summary>
public sealed class DeepResearchOptions
{
    /// <summary>The line that marks a stage as finished; it counts only as a whole line of the stage log.</summary>
    public const string StageCompleteMarker = "[ALL COMPLETE]";

    /// <summary>Gets or sets the most Context Builder rounds over all runs on a workspace. Default 8.</summary>
    public int MaxBuilderRounds { get; set; } = 8;

    /// <summary>Gets or sets the most Report Writer rounds over all runs (outline, one per section, fixes). Default 12.</summary>
    public int MaxWriterRounds { get; set; } = 12;

    /// <summary>Gets or sets the most model calls in one round (each round is a fresh context). Default 50.</summary>
    public int MaxModelCallsPerRound { get; set; } = 50;

    /// <summary>Gets or sets the most characters of one tool result given to the model; longer results are cut. Default 16,000.</summary>
    public int MaxToolResultChars { get; set; } = 16_000;

    /// <summary>Gets or sets the most tool calls of one model response run in parallel. Default 4.</summary>
    public int MaxParallelToolCalls { get; set; } = 4;

    /// <summary>
    /// Gets or sets the options of the file tools both stages get (page sizes, grep limits). They must not be
    /// read-only: the agents write notes and the report. The source archive is read-only to them in any case.
    /// </summary>
    public FileSystemMemoryPluginOptions FileTools { get; set; } = new();

    /// <summary>Gets or sets chat options for every model call (model id, temperature…); tools are set by the workflow.</summary>
    public ChatOptions? ChatOptions { get; set; }

    /// <summary>
    /// Gets or sets the model's context window. Every request then stays within it minus its reply reserve: older
    /// tool results are condensed and the oldest turns dropped (see <see cref="Context.ContextWindowChatReducer"/>).
    /// <see langword="null"/> (default): the window the chat client announces (<see cref="Context.ContextWindow.FromChatClient"/>), if any.
    /// </summary>
    public Context.ContextWindow? ContextWindow { get; set; }

    /// <summary>
    /// Gets or sets the most topics the Context Builder researches at once (default 3). In a round where index.md lists open
    /// "- [TODO] topic" items, up to this many sub-researchers run in parallel, each on one topic with a child budget (the
    /// parent's remainder split evenly) and a folder of its own (<c>knowledge_base/&lt;topic&gt;/</c>); their findings are then
    /// merged into index.md. 1 keeps one agent per round.
    /// </summary>
    public int MaxParallelTopics { get; set; } = 3;

    /// <summary>
    /// Gets or sets the model of the Context Builder's planning rounds (those with no open TODO topic in index.md: the first
    /// round that writes the plan, and the self-check rounds); <see langword="null"/> (default): the workflow's model.
    /// </summary>
    public IChatClient? PlannerChatClient { get; set; }

    /// <summary>Gets or sets the model of the research rounds and sub-researchers; <see langword="null"/> (default): the workflow's model.</summary>
    public IChatClient? ResearcherChatClient { get; set; }

    /// <summary>
    /// Gets or sets the model of the page reader (<see cref="DeepResearchWorkflow.SummarizerChatClient"/>, for the browse tool's
    /// page summariser); <see langword="null"/> (default): the workflow's model.
    /// </summary>
    public IChatClient? SummarizerChatClient { get; set; }

    /// <summary>Gets or sets the model of the Report Writer; <see langword="null"/> (default): the workflow's model.</summary>
    public IChatClient? WriterChatClient { get; set; }

    /// <summary>Gets or sets the Context Builder system prompt; <see langword="null"/> for the built-in one.</summary>
    public string? BuilderSystemPrompt { get; set; }

    /// <summary>Gets or sets the Report Writer system prompt; <see langword="null"/> for the built-in one.</summary>
    public string? WriterSystemPrompt { get; set; }

    /// <summary>
    /// Gets or sets the share of the token and money limits held back for the Report Writer while the Context Builder runs
    /// (default 0.2): the builder's model calls and tools cannot spend it, so a run capped mid-research still ends with a
    /// report. The writer's calls may also use the tracker's final-answer reserve. 0 holds nothing back.
    /// </summary>
    public double WriterShare { get; set; } = 0.2;

    /// <summary>Checks the options and throws when one is invalid.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public void Validate()
    {
        Positive(MaxBuilderRounds, nameof(MaxBuilderRounds));
        Positive(MaxWriterRounds, nameof(MaxWriterRounds));
        Positive(MaxModelCallsPerRound, nameof(MaxModelCallsPerRound));
        Positive(MaxParallelToolCalls, nameof(MaxParallelToolCalls));
        Positive(MaxParallelTopics, nameof(MaxParallelTopics));
        if (MaxToolResultChars < 1000)
        {
            throw new ArgumentException($"{nameof(DeepResearchOptions)}.{nameof(MaxToolResultChars)} must be at least 1000 (was {MaxToolResultChars}).", nameof(MaxToolResultChars));
        }

        if (!(WriterShare is >= 0 and < 1))
        {
            throw new ArgumentException($"{nameof(DeepResearchOptions)}.{nameof(WriterShare)} must be at least 0 and less than 1 (was {WriterShare}).", nameof(WriterShare));
        }

        ArgumentNullException.ThrowIfNull(FileTools, nameof(FileTools));
        FileTools.Validate();
        if (FileTools.ReadOnly)
        {
            throw new ArgumentException($"{nameof(DeepResearchOptions)}.{nameof(FileTools)}.{nameof(FileSystemMemoryPluginOptions.ReadOnly)} must be false: both stages write files.", nameof(FileTools));
        }

        if (MaxWriterRounds < 2)
        {
            throw new ArgumentException($"{nameof(DeepResearchOptions)}.{nameof(MaxWriterRounds)} must be at least 2: one for the outline and one per section (was {MaxWriterRounds}).", nameof(MaxWriterRounds));
        }
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"{nameof(DeepResearchOptions)}.{name} must be greater than 0 (was {value}).", name);
        }
    }
}
