namespace Agents.LocalEngine.Constraints;

/// <summary>Inside a free string (after its opening quote): escapes checked, control characters refused.</summary>
internal sealed class StringFrame(JsonFrame parent, int state) : JsonFrame(parent)
{
    private const int AfterBackslash = 1;
    private const int Hex = 10;

    /// <summary>Gets a value indicating whether any plain byte (no quote, backslash or control byte) keeps this state unchanged.</summary>
    public bool IsPlain => state == 0;

    public override int Remaining => state switch
    {
        0 => 1,
        AfterBackslash => 2,
        _ => state - Hex + 1,
    };

    public override void Step(byte b, List<JsonFrame> output)
    {
        if (state == 0)
        {
            if (b == (byte)'"')
            {
                Complete(output);
            }
            else if (b == (byte)'\\')
            {
                output.Add(new StringFrame(Parent!, AfterBackslash));
            }
            else if (b >= 0x20)
            {
                output.Add(this);
            }
        }
        else if (state == AfterBackslash)
        {
            if (b is (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t')
            {
                output.Add(new StringFrame(Parent!, 0));
            }
            else if (b == (byte)'u')
            {
                output.Add(new StringFrame(Parent!, Hex + 4));
            }
        }
        else if (char.IsAsciiHexDigit((char)b))
        {
            output.Add(new StringFrame(Parent!, state - 1 == Hex ? 0 : state - 1));
        }
    }
}
