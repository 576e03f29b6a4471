using System.Text;

namespace Agents.LocalEngine.Constraints;

/// <summary>
/// A compiled JSON schema node of the subset constrained decoding supports. Immutable once built; <see cref="MinSize"/> is the
/// length in bytes of the shortest compact JSON text the node accepts (used to finish the value within the token budget).
/// </summary>
internal sealed class JsonSchemaNode
{
    /// <summary>The most properties one object schema may declare (they are tracked in a 64-bit mask).</summary>
    public const int MaxProperties = 64;

    /// <summary>The most values an enum may list (they are tracked in a 64-bit mask).</summary>
    public const int MaxLiterals = 64;

    private JsonSchemaNode(JsonSchemaKind kind) => Kind = kind;

    /// <summary>Gets a node accepting any JSON value.</summary>
    public static JsonSchemaNode AnyValue { get; } = CreateAny();

    /// <summary>Gets a node accepting any JSON object.</summary>
    public static JsonSchemaNode AnyObject { get; } = Object([], [], [], additional: AnyValue);

    public JsonSchemaKind Kind { get; }

    public int MinSize { get; private set; }

    /// <summary>Gets the property names as JSON-escaped UTF-8 bytes without quotes (object).</summary>
    public byte[][] PropertyKeys { get; private set; } = [];

    public JsonSchemaNode[] PropertySchemas { get; private set; } = [];

    /// <summary>Gets the bit mask of required properties (object).</summary>
    public ulong RequiredMask { get; private set; }

    /// <summary>Gets the schema of properties not listed, or null when additionalProperties is false (object).</summary>
    public JsonSchemaNode? Additional { get; private set; }

    /// <summary>Gets the item schema (array).</summary>
    public JsonSchemaNode Items { get; private set; } = null!;

    /// <summary>Gets the accepted texts as compact JSON UTF-8 bytes (literals).</summary>
    public byte[][] Literals { get; private set; } = [];

    /// <summary>Gets the concrete alternatives a value of this node starts as: anyOf and Any flattened (never Any or AnyOf).</summary>
    public JsonSchemaNode[] Alternatives { get; private set; } = [];

    public static JsonSchemaNode Simple(JsonSchemaKind kind)
    {
        var node = new JsonSchemaNode(kind) { MinSize = kind == JsonSchemaKind.String ? 2 : 1 };
        node.Alternatives = [node];
        return node;
    }

    public static JsonSchemaNode Object(IReadOnlyList<string> names, IReadOnlyList<JsonSchemaNode> schemas, IReadOnlyCollection<string> required, JsonSchemaNode? additional)
    {
        var node = new JsonSchemaNode(JsonSchemaKind.Object)
        {
            PropertyKeys = [.. names.Select(KeyBytes)],
            PropertySchemas = [.. schemas],
            Additional = additional,
        };
        for (var i = 0; i < names.Count; i++)
        {
            if (required.Contains(names[i]))
            {
                node.RequiredMask |= 1UL << i;
            }
        }

        node.MinSize = 1 + node.RequiredCost(0, out _) + 1;
        node.Alternatives = [node];
        return node;
    }

    public static JsonSchemaNode Array(JsonSchemaNode items)
    {
        var node = new JsonSchemaNode(JsonSchemaKind.Array) { Items = items, MinSize = 2 };
        node.Alternatives = [node];
        return node;
    }

    public static JsonSchemaNode OfLiterals(IEnumerable<byte[]> literals)
    {
        var list = literals.Distinct(ByteArrayComparer.Instance).ToArray();
        var node = new JsonSchemaNode(JsonSchemaKind.Literals) { Literals = list, MinSize = list.Min(l => l.Length) };
        node.Alternatives = [node];
        return node;
    }

    public static JsonSchemaNode AnyOfNodes(IReadOnlyList<JsonSchemaNode> options)
    {
        var node = new JsonSchemaNode(JsonSchemaKind.AnyOf) { MinSize = options.Min(o => o.MinSize) };
        node.Alternatives = [.. options.SelectMany(o => o.Alternatives)];
        return node;
    }

    /// <summary>
    /// The bytes needed to write the required properties missing from <paramref name="used"/> (each <c>"key":min</c>, commas
    /// between them, none before the first); <paramref name="missing"/> is how many there are.
    /// </summary>
    public int RequiredCost(ulong used, out int missing)
    {
        var cost = 0;
        missing = 0;
        var rest = RequiredMask & ~used;
        while (rest != 0)
        {
            var i = System.Numerics.BitOperations.TrailingZeroCount(rest);
            rest &= rest - 1;
            cost += EntryCost(i);
            missing++;
        }

        return missing == 0 ? 0 : cost + missing - 1;
    }

    /// <summary>The bytes of <c>"key":min</c> for property <paramref name="index"/>.</summary>
    public int EntryCost(int index) => PropertyKeys[index].Length + 3 + PropertySchemas[index].MinSize;

    /// <summary>The cheapest entry that may still be added: an unused property, or an additional one (<c>"":min</c>); null when none.</summary>
    public int? CheapestOptionalEntry(ulong used)
    {
        int? best = Additional is { } a ? 3 + a.MinSize : null;
        for (var i = 0; i < PropertyKeys.Length; i++)
        {
            if ((used & (1UL << i)) == 0)
            {
                var c = EntryCost(i);
                best = best is null || c < best ? c : best;
            }
        }

        return best;
    }

    /// <summary>Whether another property may follow (an unused property or additional ones).</summary>
    public bool CanAddProperty(ulong used) => Additional is not null || (used | ~AllPropertiesMask) != ulong.MaxValue;

    private ulong AllPropertiesMask => PropertyKeys.Length == 64 ? ulong.MaxValue : (1UL << PropertyKeys.Length) - 1;

    private static byte[] KeyBytes(string name)
    {
        return Encoding.UTF8.GetBytes(JsonSchemaCompiler.Escape(name));
    }

    private static JsonSchemaNode CreateAny()
    {
        var any = new JsonSchemaNode(JsonSchemaKind.Any) { MinSize = 1 };
        var obj = new JsonSchemaNode(JsonSchemaKind.Object) { Additional = any, MinSize = 2 };
        obj.Alternatives = [obj];
        var array = new JsonSchemaNode(JsonSchemaKind.Array) { Items = any, MinSize = 2 };
        array.Alternatives = [array];
        any.Alternatives =
        [
            obj,
            array,
            Simple(JsonSchemaKind.String),
            Simple(JsonSchemaKind.Number),
            OfLiterals([Encoding.UTF8.GetBytes("true"), Encoding.UTF8.GetBytes("false"), Encoding.UTF8.GetBytes("null")]),
        ];
        return any;
    }

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj)
        {
            var hash = default(HashCode);
            hash.AddBytes(obj);
            return hash.ToHashCode();
        }
    }
}
