namespace Agents.Samples.OfflineWeb.Generation;

/// <summary>The entities' relations indexed both ways.</summary>
internal sealed class RelationGraph
{
    private readonly Dictionary<string, List<RelationStep>> _steps = new(StringComparer.Ordinal);

    public RelationGraph(IEnumerable<WebEntity> entities)
    {
        foreach (var e in entities)
        {
            Steps(e.Id);
            foreach (var r in e.Relations)
            {
                Steps(e.Id).Add(new RelationStep(r.Name, Forward: true, r.TargetId));
                Steps(r.TargetId).Add(new RelationStep(r.Name, Forward: false, e.Id));
            }
        }
    }

    public IReadOnlyList<RelationStep> StepsFrom(string id) => _steps.TryGetValue(id, out var s) ? s : [];

    /// <summary>The entities reached from any of <paramref name="from"/> over <paramref name="relation"/> in the given direction.</summary>
    public HashSet<string> Follow(IEnumerable<string> from, string relation, bool forward)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in from)
        {
            foreach (var step in StepsFrom(id))
            {
                if (step.Forward == forward && step.Relation == relation)
                {
                    result.Add(step.NeighborId);
                }
            }
        }

        return result;
    }

    private List<RelationStep> Steps(string id)
    {
        if (!_steps.TryGetValue(id, out var list))
        {
            list = [];
            _steps[id] = list;
        }

        return list;
    }
}
