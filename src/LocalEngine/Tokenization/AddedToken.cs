namespace Agents.LocalEngine.Tokenization;

/// <summary>An entry of tokenizer.json added_tokens (or tokenizer_config.json added_tokens_decoder).</summary>
/// <param name="Id">The token id.</param>
/// <param name="Content">The text the token stands for.</param>
/// <param name="Special">Whether decoding leaves the token out.</param>
/// <param name="LStrip">Whether whitespace before the token belongs to it (is dropped).</param>
/// <param name="RStrip">Whether whitespace after the token belongs to it (is dropped).</param>
internal readonly record struct AddedToken(int Id, string Content, bool Special, bool LStrip, bool RStrip);
