namespace Agents.AgentFramework;

/// <summary>Options of the budget middleware added by <see cref="BudgetAgentBuilderExtensions.UseBudgetTracker"/>.</summary>
public sealed class BudgetAgentOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether the run layer adds a usage-counting <see cref="Agents.Budget.BudgetChatClient"/>
    /// around the agent's chat client (through <c>ChatClientAgentRunOptions.ChatClientFactory</c>), so that tokens and
    /// money are charged. Default <see langword="true"/>. Set it to <see langword="false"/> when the agent's chat client
    /// already counts usage into the same tracker (for example one built with
    /// <c>.UseBudgetTracker(tracker, o =&gt; o.ChargeTools = false)</c> below function invocation, which checks token
    /// limits after every model call).
    /// </summary>
    public bool CountUsage { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether the budget guideline (<see cref="Agents.Budget.BudgetTracker.FormatGuideline"/>)
    /// is put before the request's messages as a system message. Default <see langword="false"/>. Needs <see cref="CountUsage"/>.
    /// </summary>
    public bool AddGuideline { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the run layer keeps the tracker's spend in the <see cref="Microsoft.Agents.AI.AgentSession"/>
    /// state bag after every run and restores it into a fresh tracker when a deserialized session is first run, so a
    /// session resumed in another process keeps its budget. Default <see langword="true"/>.
    /// </summary>
    public bool PersistSpendInSession { get; set; } = true;

    /// <summary>
    /// Gets or sets how many more units to offer when a tool call is refused because its category is spent; <see langword="null"/>
    /// (default) never asks. When set, such a refusal pauses the run: the response ends with a <see cref="Microsoft.Extensions.AI.ToolApprovalRequestContent"/>
    /// for the refused call and the text "The search budget is spent; continue with N more?". Send its
    /// <see cref="Microsoft.Extensions.AI.ToolApprovalRequestContent.CreateResponse"/> in the next run of the same session: approved,
    /// the category's limit grows by N (<see cref="Agents.Budget.BudgetTracker.ExtendToolLimit"/>) and the run goes on where it
    /// paused; declined, the model answers without tools. Token, money and time limits never ask.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int? AskForMoreUnits
    {
        get;
        set
        {
            if (value is < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(AskForMoreUnits), value, "AskForMoreUnits must be 1 or more when set.");
            }

            field = value;
        }
    }

    /// <summary>Gets or sets the log that records every budget decision as a receipt; none by default.</summary>
    public BudgetReceiptLog? Receipts { get; set; }
}
