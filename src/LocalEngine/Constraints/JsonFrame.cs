namespace Agents.LocalEngine.Constraints;

/// <summary>
/// One level of the JSON automaton's stack: immutable, so a state is shared by every token tried from it and a byte that
/// changes nothing returns the same frame. A state is the top frame; its parents are the enclosing containers.
/// </summary>
internal abstract class JsonFrame(JsonFrame? parent)
{
    /// <summary>Gets the enclosing frame (in its "inside a value" phase), or null for the root.</summary>
    public JsonFrame? Parent { get; } = parent;

    /// <summary>Gets the fewest bytes this frame still needs once any value open inside it is finished.</summary>
    public abstract int Remaining { get; }

    /// <summary>Gets a value indicating whether the value may end here without another byte (numbers, enum literals).</summary>
    public virtual bool CanEndHere => false;

    /// <summary>Gets a value indicating whether the whole text is complete and nothing may follow.</summary>
    public virtual bool IsDone => false;

    /// <summary>Whether <paramref name="b"/> is JSON whitespace.</summary>
    public static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t';

    /// <summary>Adds the states reached by reading <paramref name="b"/> (none when the byte is not allowed).</summary>
    public abstract void Step(byte b, List<JsonFrame> output);

    /// <summary>The frame once the value open inside it has ended.</summary>
    public virtual JsonFrame AfterChild() => throw new InvalidOperationException($"{GetType().Name} holds no value.");

    /// <summary>The fewest bytes needed to complete the whole text from this state.</summary>
    public int Distance()
    {
        var sum = 0;
        for (var f = this; f is not null; f = f.Parent)
        {
            sum += f.Remaining;
        }

        return sum;
    }

    /// <summary>Whether the text may end now (end-of-sequence allowed).</summary>
    public bool IsAccepting()
    {
        var f = this;
        while (!f.IsDone)
        {
            if (!f.CanEndHere || f.Parent is null)
            {
                return false;
            }

            f = f.Parent.AfterChild();
        }

        return true;
    }

    /// <summary>Ends this value and passes it to the enclosing frame.</summary>
    protected void Complete(List<JsonFrame> output) => output.Add(Parent!.AfterChild());

    /// <summary>Starts a value of <paramref name="node"/> with its first byte <paramref name="b"/>, inside <paramref name="parent"/>.</summary>
    protected static void StartValue(JsonSchemaNode node, JsonFrame parent, byte b, List<JsonFrame> output)
    {
        foreach (var alt in node.Alternatives)
        {
            switch (alt.Kind)
            {
                case JsonSchemaKind.Object when b == (byte)'{':
                    output.Add(new ObjectFrame(alt, parent, ObjectFrame.Phase.AfterOpen, 0, [], -1));
                    break;
                case JsonSchemaKind.Array when b == (byte)'[':
                    output.Add(new ArrayFrame(alt, parent, ArrayFrame.Phase.AfterOpen));
                    break;
                case JsonSchemaKind.String when b == (byte)'"':
                    output.Add(new StringFrame(parent, 0));
                    break;
                case JsonSchemaKind.Number or JsonSchemaKind.Integer:
                    if (NumberFrame.Start(alt.Kind == JsonSchemaKind.Integer, parent, b) is { } number)
                    {
                        output.Add(number);
                    }

                    break;
                case JsonSchemaKind.Literals:
                    var mask = 0UL;
                    for (var i = 0; i < alt.Literals.Length; i++)
                    {
                        if (alt.Literals[i][0] == b)
                        {
                            mask |= 1UL << i;
                        }
                    }

                    if (mask != 0)
                    {
                        output.Add(new LiteralFrame(alt, parent, 1, mask));
                    }

                    break;
                default:
                    break;
            }
        }
    }
}
