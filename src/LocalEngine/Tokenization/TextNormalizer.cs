using System.Text;

namespace Agents.LocalEngine.Tokenization;

/// <summary>The tokenizer.json normalizers a SentencePiece-style BPE uses: Prepend, Replace (plain strings) and Unicode forms, in order.</summary>
internal sealed class TextNormalizer
{
    private readonly Step[] _steps;

    public TextNormalizer(IReadOnlyList<Step> steps) => _steps = [.. steps];

    public static TextNormalizer None { get; } = new([]);

    public string Apply(ReadOnlySpan<char> text)
    {
        var s = text.ToString();
        foreach (var step in _steps)
        {
            if (s.Length == 0)
            {
                return s;
            }

            s = step.Kind switch
            {
                StepKind.Prepend => step.Text + s,
                StepKind.Replace => s.Replace(step.Text, step.Replacement, StringComparison.Ordinal),
                _ => s.Normalize(step.Form),
            };
        }

        return s;
    }

    internal enum StepKind
    {
        Prepend,
        Replace,
        Unicode,
    }

    /// <summary>One normalizer: Prepend <see cref="Text"/>, Replace <see cref="Text"/> by <see cref="Replacement"/>, or a Unicode <see cref="Form"/>.</summary>
    internal readonly record struct Step(StepKind Kind, string Text, string Replacement, NormalizationForm Form);
}
