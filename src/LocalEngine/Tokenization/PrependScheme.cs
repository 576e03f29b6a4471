namespace Agents.LocalEngine.Tokenization;

/// <summary>When a Metaspace pre-tokenizer puts a replacement character in front of a piece that lacks one.</summary>
internal enum PrependScheme
{
    /// <summary>Never.</summary>
    Never,

    /// <summary>Only to the piece at the very start of the input (not after an added token).</summary>
    First,

    /// <summary>To every piece between added tokens.</summary>
    Always,
}
