namespace Agents.LocalEngine.Tokenization;

/// <summary>Turns text into token ids; added (special) tokens written as text become their ids.</summary>
internal interface ITokenEncoder
{
    /// <summary>Appends the ids of <paramref name="text"/> to <paramref name="ids"/> (no BOS/EOS).</summary>
    void Encode(string text, List<int> ids);
}
