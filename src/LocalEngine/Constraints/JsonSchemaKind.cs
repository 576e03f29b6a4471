namespace Agents.LocalEngine.Constraints;

/// <summary>What a compiled schema node accepts.</summary>
internal enum JsonSchemaKind
{
    /// <summary>Any JSON value.</summary>
    Any,

    /// <summary>An object.</summary>
    Object,

    /// <summary>An array.</summary>
    Array,

    /// <summary>Any string.</summary>
    String,

    /// <summary>Any number.</summary>
    Number,

    /// <summary>An integer (no fraction or exponent).</summary>
    Integer,

    /// <summary>One of a fixed set of JSON texts (enum, const, true/false, null).</summary>
    Literals,

    /// <summary>Any of several schemas.</summary>
    AnyOf,
}
