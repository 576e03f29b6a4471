using System.Text;

namespace Agents.Planners.Grading;

/// <summary>
/// Normalizes free-text answers so that equivalent answers compare equal (SQuAD-style normalization).
/// </summary>
/// <remarks>
/// Steps, in order: Unicode compatibility normalization (NFKC), diacritics removed, lower case (invariant
/// culture), punctuation and symbols replaced by spaces, the English articles <c>a</c>, <c>an</c> and
/// <c>the</c> removed (unless nothing else is left, so option "A" stays "a"), white space collapsed. An answer wrapped in <c>&lt;answer&gt;</c> tags or prefixed
/// with "Answer:" / "Final answer:" is unwrapped first. Digits and letters of every script are kept.
/// </remarks>
public static class AnswerNormalizer
{
    private static readonly string[] Prefixes = ["final answer:", "answer:", "exact answer:"];

    /// <summary>Normalizes an answer; <see langword="null"/> or white space gives an empty string.</summary>
    /// <param name="answer">The answer to normalize.</param>
    /// <returns>The normalized answer.</returns>
    public static string Normalize(string? answer)
    {
        if (string.IsNullOrWhiteSpace(answer))
        {
            return string.Empty;
        }

        string text = Unwrap(answer.Trim());
        text = text.Normalize(NormalizationForm.FormKC).Normalize(NormalizationForm.FormD);

        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            UnicodeCategory category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            builder.Append(char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : ' ');
        }

        string[] words = builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var kept = new List<string>(words.Length);
        foreach (string word in words)
        {
            if (word is not ("a" or "an" or "the"))
            {
                kept.Add(word);
            }
        }

        // An answer made only of articles ("A", as in option A) keeps its words.
        return (kept.Count > 0 ? string.Join(' ', kept) : string.Join(' ', words)).Normalize(NormalizationForm.FormC);
    }

    /// <summary>Tells whether two answers are equal after normalization (two empty answers are not equal).</summary>
    /// <param name="left">The first answer.</param>
    /// <param name="right">The second answer.</param>
    /// <returns><see langword="true"/> when both normalize to the same non-empty text.</returns>
    public static bool AreEquivalent(string? left, string? right)
    {
        string a = Normalize(left);
        return a.Length > 0 && string.Equals(a, Normalize(right), StringComparison.Ordinal);
    }

    /// <summary>Tells whether an answer means "no answer" ("None", "unknown", "I don't know", empty).</summary>
    /// <param name="answer">The answer.</param>
    /// <returns><see langword="true"/> when the answer carries no content.</returns>
    public static bool IsNoAnswer(string? answer)
    {
        string n = Normalize(answer);
        return n.Length == 0 || n is "none" or "unknown" or "n a" or "i don t know" or "i do not know" or "no answer";
    }

    private static string Unwrap(string text)
    {
        int open = text.IndexOf("<answer>", StringComparison.OrdinalIgnoreCase);
        if (open >= 0)
        {
            int start = open + "<answer>".Length;
            int close = text.IndexOf("</answer>", start, StringComparison.OrdinalIgnoreCase);
            text = close >= 0 ? text[start..close] : text[start..];
        }

        text = text.Trim();
        foreach (string prefix in Prefixes)
        {
            if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return text[prefix.Length..].Trim();
            }
        }

        return text;
    }
}
