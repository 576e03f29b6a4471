namespace Agents.LocalEngine.Constraints;

/// <summary>Inside a number (JSON grammar; integers take no fraction or exponent). A number ends at the first byte that cannot continue it.</summary>
internal sealed class NumberFrame : JsonFrame
{
    private readonly bool _integer;
    private readonly State _state;

    private NumberFrame(bool integer, JsonFrame parent, State state)
        : base(parent)
    {
        _integer = integer;
        _state = state;
    }

    private enum State
    {
        Minus,
        Zero,
        Int,
        Dot,
        Frac,
        E,
        ESign,
        Exp,
    }

    public override bool CanEndHere => _state is State.Zero or State.Int or State.Frac or State.Exp;

    public override int Remaining => CanEndHere ? 0 : 1;

    public static NumberFrame? Start(bool integer, JsonFrame parent, byte b) => b switch
    {
        (byte)'-' => new NumberFrame(integer, parent, State.Minus),
        (byte)'0' => new NumberFrame(integer, parent, State.Zero),
        >= (byte)'1' and <= (byte)'9' => new NumberFrame(integer, parent, State.Int),
        _ => null,
    };

    public override void Step(byte b, List<JsonFrame> output)
    {
        var digit = b is >= (byte)'0' and <= (byte)'9';
        State? next = _state switch
        {
            State.Minus when b == (byte)'0' => State.Zero,
            State.Minus when digit => State.Int,
            State.Int when digit => State.Int,
            State.Zero or State.Int when b == (byte)'.' && !_integer => State.Dot,
            State.Zero or State.Int or State.Frac when (b is (byte)'e' or (byte)'E') && !_integer => State.E,
            State.Dot or State.Frac when digit => State.Frac,
            State.E when b is (byte)'+' or (byte)'-' => State.ESign,
            State.E or State.ESign or State.Exp when digit => State.Exp,
            _ => null,
        };

        if (next is { } n)
        {
            output.Add(n == _state ? this : new NumberFrame(_integer, Parent!, n));
        }
        else if (CanEndHere)
        {
            Parent!.AfterChild().Step(b, output);
        }
    }
}
