namespace Agents.Samples.OfflineWeb.World;

/// <summary>
/// A BrowseComp-style question: an anchor entity named in the question, a chain of 2–4 relation hops to the
/// target, and verification constraints on the target that make the answer unique in the corpus.
/// </summary>
/// <param name="Id">Stable id, e.g. <c>q0007</c>.</param>
/// <param name="Question">The question text.</param>
/// <param name="Answer">The only correct answer (an entity name or an attribute value).</param>
/// <param name="Hops">Number of relation hops between the anchor and the target.</param>
/// <param name="EntityPath">The entity ids visited from the anchor to the target (Hops + 1 entries).</param>
/// <param name="Constraints">The verification constraints, as written in the question.</param>
public sealed record MultiHopQuestion(
    string Id,
    string Question,
    string Answer,
    int Hops,
    IReadOnlyList<string> EntityPath,
    IReadOnlyList<string> Constraints);
