namespace Agents.LocalEngine.Constraints;

/// <summary>Inside an array.</summary>
internal sealed class ArrayFrame(JsonSchemaNode node, JsonFrame parent, ArrayFrame.Phase phase) : JsonFrame(parent)
{
    public enum Phase
    {
        AfterOpen,
        AfterComma,
        InValue,
        AfterValue,
    }

    public override int Remaining => phase == Phase.AfterComma ? node.Items.MinSize + 1 : 1;

    public override void Step(byte b, List<JsonFrame> output)
    {
        if (phase != Phase.InValue && IsWhitespace(b))
        {
            output.Add(this);
            return;
        }

        switch (phase)
        {
            case Phase.AfterOpen when b == (byte)']':
            case Phase.AfterValue when b == (byte)']':
                Complete(output);
                break;
            case Phase.AfterOpen:
            case Phase.AfterComma:
                StartValue(node.Items, new ArrayFrame(node, Parent!, Phase.InValue), b, output);
                break;
            case Phase.AfterValue when b == (byte)',':
                output.Add(new ArrayFrame(node, Parent!, Phase.AfterComma));
                break;
            default:
                break;
        }
    }

    public override JsonFrame AfterChild() => new ArrayFrame(node, Parent!, Phase.AfterValue);
}
