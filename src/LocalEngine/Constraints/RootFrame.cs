namespace Agents.LocalEngine.Constraints;

/// <summary>The bottom of the stack: a fixed prefix, whitespace, one value of the root schema, a fixed suffix.</summary>
internal sealed class RootFrame : JsonFrame
{
    private readonly byte[] _prefix;
    private readonly JsonSchemaNode _schema;
    private readonly byte[] _suffix;
    private readonly Phase _phase;
    private readonly int _pos;

    public RootFrame(byte[] prefix, JsonSchemaNode schema, byte[] suffix)
        : this(prefix, schema, suffix, prefix.Length > 0 ? Phase.Prefix : Phase.BeforeValue, 0)
    {
    }

    private RootFrame(byte[] prefix, JsonSchemaNode schema, byte[] suffix, Phase phase, int pos)
        : base(null)
    {
        _prefix = prefix;
        _schema = schema;
        _suffix = suffix;
        _phase = phase;
        _pos = pos;
    }

    private enum Phase
    {
        Prefix,
        BeforeValue,
        InValue,
        Suffix,
        Done,
    }

    public override bool IsDone => _phase == Phase.Done;

    public override int Remaining => _phase switch
    {
        Phase.Prefix => _prefix.Length - _pos + _schema.MinSize + _suffix.Length,
        Phase.BeforeValue => _schema.MinSize + _suffix.Length,
        Phase.InValue => _suffix.Length,
        Phase.Suffix => _suffix.Length - _pos,
        _ => 0,
    };

    public override void Step(byte b, List<JsonFrame> output)
    {
        switch (_phase)
        {
            case Phase.Prefix when _prefix[_pos] == b:
                output.Add(_pos + 1 == _prefix.Length ? With(Phase.BeforeValue, 0) : With(Phase.Prefix, _pos + 1));
                break;
            case Phase.BeforeValue when IsWhitespace(b):
                output.Add(this);
                break;
            case Phase.BeforeValue:
                StartValue(_schema, With(Phase.InValue, 0), b, output);
                break;
            case Phase.Suffix when _suffix[_pos] == b:
                output.Add(_pos + 1 == _suffix.Length ? With(Phase.Done, 0) : With(Phase.Suffix, _pos + 1));
                break;
            default:
                break;
        }
    }

    public override JsonFrame AfterChild() => _suffix.Length > 0 ? With(Phase.Suffix, 0) : With(Phase.Done, 0);

    private RootFrame With(Phase phase, int pos) => new(_prefix, _schema, _suffix, phase, pos);
}
