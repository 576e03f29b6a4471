namespace Agents.LocalEngine.Constraints;

/// <summary>
/// Inside an object. <c>used</c> marks the declared properties written so far; <c>key</c> is the key read so far (while in
/// a key, while it may still be a declared name); <c>property</c> is the declared property whose value is being written, or
/// -1 for an additional one. Declared names are matched literally (as their minimal JSON escape); a key that leaves every
/// declared name becomes an ordinary string (escapes allowed) and, where additionalProperties allows, an additional property.
/// </summary>
internal sealed class ObjectFrame(JsonSchemaNode node, JsonFrame parent, ObjectFrame.Phase phase, ulong used, byte[] key, int property) : JsonFrame(parent)
{
    public enum Phase
    {
        AfterOpen,
        AfterComma,
        InKey,

        /// <summary>Inside a key that matches no declared property (a string frame is open on top): an additional property.</summary>
        InFreeKey,
        AfterKey,
        AfterColon,
        InValue,
        AfterValue,
    }

    public override int Remaining => phase switch
    {
        Phase.AfterOpen => node.RequiredCost(used, out _) + 1,
        Phase.AfterComma => node.RequiredCost(used, out var missing) is var cost && missing > 0 ? cost + 1 : (node.CheapestOptionalEntry(used) ?? 1_000_000) + 1,
        Phase.InKey => KeyRemaining(),
        Phase.InFreeKey => 1 + node.Additional!.MinSize + Tail(used),
        Phase.AfterKey => 1 + ValueSchema.MinSize + Tail(used),
        Phase.AfterColon => ValueSchema.MinSize + Tail(used),
        _ => Tail(used),
    };

    private JsonSchemaNode ValueSchema => property >= 0 ? node.PropertySchemas[property] : node.Additional!;

    public override void Step(byte b, List<JsonFrame> output)
    {
        if (phase is not (Phase.InKey or Phase.InValue) && IsWhitespace(b))
        {
            output.Add(this);
            return;
        }

        switch (phase)
        {
            case Phase.AfterOpen or Phase.AfterComma when b == (byte)'"' && node.PropertyKeys.Length == 0 && node.Additional is not null:
                output.Add(new StringFrame(With(Phase.InFreeKey, used, [], -1), 0));
                break;
            case Phase.AfterOpen or Phase.AfterComma when b == (byte)'"' && node.CanAddProperty(used):
                output.Add(With(Phase.InKey, used, [], -1));
                break;
            case Phase.AfterOpen or Phase.AfterValue when b == (byte)'}' && (node.RequiredMask & ~used) == 0:
                Complete(output);
                break;
            case Phase.AfterValue when b == (byte)',' && node.CanAddProperty(used):
                output.Add(With(Phase.AfterComma, used, [], -1));
                break;
            case Phase.InKey:
                StepKey(b, output);
                break;
            case Phase.AfterKey when b == (byte)':':
                output.Add(With(Phase.AfterColon, used, [], property));
                break;
            case Phase.AfterColon:
                StartValue(ValueSchema, With(Phase.InValue, used, [], property), b, output);
                break;
            default:
                break;
        }
    }

    public override JsonFrame AfterChild() => phase == Phase.InFreeKey ? With(Phase.AfterKey, used, [], -1) : With(Phase.AfterValue, used, [], -1);

    private void StepKey(byte b, List<JsonFrame> output)
    {
        var keys = node.PropertyKeys;
        if (b == (byte)'"')
        {
            for (var i = 0; i < keys.Length; i++)
            {
                if (keys[i].AsSpan().SequenceEqual(key))
                {
                    if ((used & (1UL << i)) == 0)
                    {
                        output.Add(With(Phase.AfterKey, used | (1UL << i), [], i));
                    }

                    return;
                }
            }

            if (node.Additional is not null)
            {
                output.Add(With(Phase.AfterKey, used, [], -1));
            }

            return;
        }

        var longer = new byte[key.Length + 1];
        key.CopyTo(longer, 0);
        longer[^1] = b;
        for (var i = 0; i < keys.Length; i++)
        {
            // Used names are followed too, with additional properties allowed: the key may still grow past them.
            if (((used & (1UL << i)) == 0 || node.Additional is not null) && keys[i].AsSpan().StartsWith(longer))
            {
                output.Add(With(Phase.InKey, used, longer, -1));
                return;
            }
        }

        if (node.Additional is not null)
        {
            // No declared name starts so: the rest is an ordinary string (escapes allowed), the property an additional one.
            new StringFrame(With(Phase.InFreeKey, used, [], -1), 0).Step(b, output);
        }
    }

    private int KeyRemaining()
    {
        var best = node.Additional is { } a ? 2 + a.MinSize + Tail(used) : int.MaxValue;
        var keys = node.PropertyKeys;
        for (var i = 0; i < keys.Length; i++)
        {
            if ((used & (1UL << i)) == 0 && keys[i].AsSpan().StartsWith(key))
            {
                best = Math.Min(best, keys[i].Length - key.Length + 2 + node.PropertySchemas[i].MinSize + Tail(used | (1UL << i)));
            }
        }

        return best == int.MaxValue ? 1_000_000 : best;
    }

    /// <summary>Bytes to close the object after a value: <c>,"key":min</c> for each missing required property, then <c>}</c>.</summary>
    private int Tail(ulong after)
    {
        var cost = node.RequiredCost(after, out var missing);
        return missing > 0 ? cost + 2 : 1;
    }

    private ObjectFrame With(Phase next, ulong nextUsed, byte[] nextKey, int nextProperty) => new(node, Parent!, next, nextUsed, nextKey, nextProperty);
}
