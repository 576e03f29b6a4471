using System.Numerics;

namespace Agents.LocalEngine.Constraints;

/// <summary>Inside one of a fixed set of JSON texts (enum, const, true, false, null): <c>mask</c> marks those still matching the <c>pos</c> bytes read.</summary>
internal sealed class LiteralFrame(JsonSchemaNode node, JsonFrame parent, int pos, ulong mask) : JsonFrame(parent)
{
    public override bool CanEndHere
    {
        get
        {
            for (var rest = mask; rest != 0; rest &= rest - 1)
            {
                if (node.Literals[BitOperations.TrailingZeroCount(rest)].Length == pos)
                {
                    return true;
                }
            }

            return false;
        }
    }

    public override int Remaining
    {
        get
        {
            var best = int.MaxValue;
            for (var rest = mask; rest != 0; rest &= rest - 1)
            {
                best = Math.Min(best, node.Literals[BitOperations.TrailingZeroCount(rest)].Length - pos);
            }

            return best;
        }
    }

    public override void Step(byte b, List<JsonFrame> output)
    {
        var next = 0UL;
        var ends = false;
        for (var rest = mask; rest != 0; rest &= rest - 1)
        {
            var i = BitOperations.TrailingZeroCount(rest);
            var literal = node.Literals[i];
            if (literal.Length == pos)
            {
                ends = true;
            }
            else if (literal[pos] == b)
            {
                next |= 1UL << i;
            }
        }

        if (next != 0)
        {
            output.Add(new LiteralFrame(node, Parent!, pos + 1, next));
        }

        if (ends)
        {
            Parent!.AfterChild().Step(b, output);
        }
    }
}
