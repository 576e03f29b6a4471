using Agents.Budget;

namespace Agents.Plugins.Browsing;

/// <summary>Options of <see cref="BrowserPlugin"/>.</summary>
public sealed class BrowserPluginOptions
{
    /// <summary>Gets or sets the size of one page of text shown to the model, in characters. Default: 12,000 (as FS-Researcher). Range: 500 to 200,000.</summary>
    [Range(500, 200_000)]
    public int ChunkSize { get; set; } = 12_000;

    /// <summary>Gets or sets the most URLs one <c>browse</c> call may hold; a call with more is refused. Default: 5. Range: 1 to 20.</summary>
    [Range(1, 20)]
    public int MaxUrlsPerCall { get; set; } = 5;

    /// <summary>Gets or sets the most outgoing links listed per page. Default: 40.</summary>
    [Range(0, int.MaxValue, ErrorMessage = "{0} must not be negative.")]
    public int MaxLinks { get; set; } = 40;

    /// <summary>Gets or sets the most pages kept in memory for reading on and <c>find_in_page</c>. Default: 100.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "{0} must be at least 1.")]
    public int MaxCachedPages { get; set; } = 100;

    /// <summary>
    /// Gets or sets a value indicating whether reading an already read URL again (for example the next page)
    /// still costs a budget unit (otherwise the <c>browse</c> tool gives the unit back). The tool description tells the model that re-reads are free: set this only when the model is told otherwise. Default: <see langword="false"/>.
    /// </summary>
    public bool ChargeCachedPages { get; set; }

    /// <summary>Gets or sets the most matches <c>find_in_page</c> shows. Default: 10.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "{0} must be at least 1.")]
    public int MaxFindMatches { get; set; } = 10;

    /// <summary>
    /// Gets or sets the optional page summariser: when set and a <c>browse</c> call gives a goal, each page shown is
    /// condensed towards the goal by this reading model (<see cref="Reading.ModelReaderPlugin.SummarizePageAsync"/>: the
    /// relevant passages with quotes and locations, and a short summary) instead of its raw text. The full page still goes
    /// to the archive and stays available to <c>find_in_page</c>. Each summary is charged to the run whose <c>browse</c> call
    /// asked for it (the tracker of <see cref="Agents.Budget.ToolChargeContext.Current"/>), or to <see cref="PageSummarizerBudget"/>
    /// when set: its model call's worst case is reserved first and its usage committed after (unless the reader's chat client
    /// was built with <c>UseBudgetTracker</c> and charges its own tracker), plus one unit of <see cref="PageSummarizerCategory"/>.
    /// A summary the budget refuses, or a failed reading call, leaves the raw text shown with a note. It may use a cheaper
    /// model than the agent's. Default: none (raw text).
    /// </summary>
    public Reading.ModelReaderPlugin? PageSummarizer { get; set; }

    /// <summary>
    /// Gets or sets one fixed tracker that charges every page summary (its tokens and one unit of <see cref="PageSummarizerCategory"/>)
    /// instead of the run's; when the unit or the model call is denied, the page is shown raw. Default: none: each summary is
    /// charged to the tracker of the run that called <c>browse</c> (tokens, and the unit when that tracker knows the category).
    /// </summary>
    public BudgetTracker? PageSummarizerBudget { get; set; }

    /// <summary>Gets or sets the unit category of <see cref="PageSummarizerBudget"/>. Default: <see cref="Reading.ModelReaderPlugin.Category"/>.</summary>
    public string PageSummarizerCategory { get; set; } = Reading.ModelReaderPlugin.Category;

    /// <summary>Checks the options.</summary>
    /// <exception cref="OptionsValidationException">An option is out of range; the message names it.</exception>
    public void Validate() => OptionsValidation.ThrowIfFailed<BrowserPluginOptions>(new BrowserPluginOptionsValidator().Validate(null, this));
}
