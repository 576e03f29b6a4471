namespace Agents.LocalEngine.Tokenization;

/// <summary>A Metaspace pre-tokenizer: spaces become <see cref="Replacement"/>, one is prepended per <see cref="Scheme"/>, and with <see cref="Split"/> each replacement starts a new word.</summary>
internal sealed record MetaspaceSettings(char Replacement, PrependScheme Scheme, bool Split);
