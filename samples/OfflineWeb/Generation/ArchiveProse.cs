namespace Agents.Samples.OfflineWeb.Generation;

/// <summary>
/// Neutral filler prose that makes pages longer without adding facts: no names, numbers or words of any attribute, so a
/// question's answer never appears in it. The same entity id always gives the same paragraphs.
/// </summary>
internal static class ArchiveProse
{
    private static readonly string[] Openings = ["The archive holds", "Later editors added", "Travellers described", "Several surveys mention", "Old registers list", "The collected letters discuss", "A regional account notes", "Surviving notebooks record"];
    private static readonly string[] Subjects = ["the surrounding district", "the early settlements", "the local customs", "the seasonal fairs", "the old roads", "the village schools", "the weather of the valley", "the parish records", "the harbour trade", "the hill farms", "the public gardens", "the winter festivals"];
    private static readonly string[] Verbs = ["in some detail", "only briefly", "with many small corrections", "from several points of view", "in a plain style", "alongside hand-drawn maps", "without giving sources", "in two separate volumes"];
    private static readonly string[] Closings = ["Accounts differ on minor points.", "Most of these notes were never published.", "Some pages are missing from the collection.", "The wording varies between copies.", "None of this changes the main entry.", "Readers often skip this section."];

    /// <summary>Paragraphs of about <paramref name="characters"/> characters in total, chosen by <paramref name="entityId"/>.</summary>
    public static IReadOnlyList<string> Paragraphs(string entityId, int characters)
    {
        var random = new SeededRandom(StableHash(entityId));
        var paragraphs = new List<string>();
        int written = 0;
        while (written < characters)
        {
            var paragraph = new StringBuilder();
            for (int i = 0; i < 4 && written + paragraph.Length < characters; i++)
            {
                paragraph.Append(random.Pick(Openings)).Append(' ').Append(random.Pick(Subjects)).Append(' ').Append(random.Pick(Verbs)).Append(". ")
                    .Append(random.Pick(Closings)).Append(' ');
            }

            string text = paragraph.ToString().TrimEnd();
            paragraphs.Add(text);
            written += text.Length + 1;
        }

        return paragraphs;
    }

    private static int StableHash(string text)
    {
        unchecked
        {
            uint hash = 2166136261;
            foreach (char c in text)
            {
                hash = (hash ^ c) * 16777619;
            }

            return (int)hash;
        }
    }
}
