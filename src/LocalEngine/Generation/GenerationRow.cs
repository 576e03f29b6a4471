using System.Text;
using Agents.LocalEngine.Constraints;
using Agents.LocalEngine.Tokenization;

namespace Agents.LocalEngine.Generation;

/// <summary>One sequence being generated: a request has one row per sequence asked for.</summary>
internal sealed class GenerationRow(GenerationRequest request, int index, StreamingDetokenizer detokenizer, int vocab)
{
    /// <summary>Gets the request the row belongs to.</summary>
    public GenerationRequest Request { get; } = request;

    /// <summary>Gets the row's index within its request (the order of the results).</summary>
    public int Index { get; } = index;

    public StreamingDetokenizer Detokenizer { get; } = detokenizer;

    public List<int> Tokens { get; } = [];

    public StringBuilder Text { get; } = new();

    public bool[] Seen { get; } = new bool[vocab];

    public int Emitted { get; set; }

    public LocalFinishReason? Finish { get; set; }

    /// <summary>Gets the JSON automaton this row's tokens must follow, or null.</summary>
    public JsonTokenConstraint? Constraint { get; init; }
}
