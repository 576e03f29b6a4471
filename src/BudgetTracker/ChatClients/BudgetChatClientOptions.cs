namespace Agents.Budget;

/// <summary>Options of a <see cref="BudgetChatClient"/>.</summary>
public sealed class BudgetChatClientOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether the client counts the usage of every model call, streaming or not, and
    /// reserves each call's worst case when a token or money limit is set. Default <see langword="true"/>. With function
    /// invocation below the client (the documented order <c>UseBudgetTracker().UseFunctionInvocation()</c>) a non-streaming
    /// request with tools is served by the streaming pipeline and assembled into one <see cref="Microsoft.Extensions.AI.ChatResponse"/>,
    /// so that each model call is counted as it arrives, also when the request then fails (a tool throws, the request is
    /// cancelled). Set it to <see langword="false"/> when another layer (or your code) records usage into the same tracker.
    /// </summary>
    public bool CountUsage { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether the client wraps the request's tools so that every call is charged,
    /// refused beyond the budget and followed by the budget block. Default <see langword="true"/>.
    /// </summary>
    public bool ChargeTools { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether the client puts <see cref="BudgetTracker.FormatGuideline"/> as a system message
    /// before the request's messages (the caller's list is not changed). Default <see langword="false"/>.
    /// </summary>
    public bool AddGuideline { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the client reserves each model call's worst case before it is made
    /// (<see cref="BudgetTracker.ReserveModelCallAsync"/>): the call it makes itself, or, with function invocation below it and
    /// no other layer on the same tracker there, every call that function invocation makes. It lowers the request's
    /// <see cref="Microsoft.Extensions.AI.ChatOptions.MaxOutputTokens"/> to what the token and money budgets allow, commits each
    /// call's usage after it, and does not make a call that does not fit. Only done while <see cref="CountUsage"/> is on and the
    /// tracker or an ancestor has a token or money limit. Default <see langword="true"/>; set it to <see langword="false"/>
    /// for a layer that only counts usage after the fact.
    /// </summary>
    public bool ReserveModelCalls { get; set; } = true;

    /// <summary>
    /// Gets or sets the tokenizer seam: counts a request's prompt tokens (messages as sent, and the options with their tools).
    /// Return the count the provider will report, or more. <see langword="null"/> (default) uses
    /// <see cref="PromptTokenEstimator.Estimate"/>, a conservative estimate from the text.
    /// </summary>
    public Func<IReadOnlyList<Microsoft.Extensions.AI.ChatMessage>, Microsoft.Extensions.AI.ChatOptions?, long>? PromptTokenCounter { get; set; }
}
