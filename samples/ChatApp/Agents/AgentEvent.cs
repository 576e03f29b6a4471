using System.Text.Json.Serialization;

namespace Agents.Samples.ChatApp.Agents;

/// <summary>Something that happened during a run; sent to the page as one Server-Sent Event.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ThinkingEvent), "thinking")]
[JsonDerivedType(typeof(ToolCallEvent), "tool_call")]
[JsonDerivedType(typeof(ToolResultEvent), "tool_result")]
[JsonDerivedType(typeof(BudgetEvent), "budget")]
[JsonDerivedType(typeof(SectionsEvent), "sections")]
[JsonDerivedType(typeof(DeltaEvent), "delta")]
[JsonDerivedType(typeof(AnswerEvent), "answer")]
[JsonDerivedType(typeof(AskEvent), "ask")]
[JsonDerivedType(typeof(AskAnswerEvent), "ask_answer")]
[JsonDerivedType(typeof(ErrorEvent), "error")]
[JsonDerivedType(typeof(DoneEvent), "done")]
internal abstract record AgentEvent
{
    /// <summary>Gets the SSE event name.</summary>
    [JsonIgnore]
    public abstract string EventName { get; }
}
