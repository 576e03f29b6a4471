namespace Agents.AgentFramework;

/// <summary>One budget decision, kept so that a run's spending can be audited afterwards.</summary>
/// <param name="Kind">What was decided.</param>
/// <param name="Budget">The category (or <c>input tokens</c>, <c>cost</c>, <c>time</c> for exhaustion).</param>
/// <param name="Units">The units charged, refused or granted; 0 when none apply.</param>
/// <param name="Detail">The tool name, refusal reason or exhaustion reason; may be empty.</param>
/// <param name="Timestamp">When it was decided.</param>
public sealed record BudgetReceipt(BudgetReceiptKind Kind, string Budget, long Units, string Detail, DateTimeOffset Timestamp);
