namespace Agents.Samples.OfflineWeb.Generation;

/// <summary>Sizes and seed of a generated offline web. Defaults give a small web (about 130 pages, 20 questions).</summary>
public sealed class OfflineWebOptions
{
    /// <summary>The seed; the same seed and sizes always give byte-identical pages and questions. Default 42.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Number of countries. Default 6; at least 2.</summary>
    public int Countries { get; set; } = 6;

    /// <summary>Number of rivers. Default 10; at least 2.</summary>
    public int Rivers { get; set; } = 10;

    /// <summary>Number of cities. Default 30; at least 2.</summary>
    public int Cities { get; set; } = 30;

    /// <summary>Number of people. Default 60; at least 2.</summary>
    public int People { get; set; } = 60;

    /// <summary>Number of companies. Default 25; at least 2.</summary>
    public int Companies { get; set; } = 25;

    /// <summary>Number of questions to generate. Default 20; 0 or more.</summary>
    public int Questions { get; set; } = 20;

    /// <summary>Fewest relation hops in a question. Default 2; 2 to 4.</summary>
    public int MinHops { get; set; } = 2;

    /// <summary>Most relation hops in a question. Default 4; MinHops to 4.</summary>
    public int MaxHops { get; set; } = 4;

    /// <summary>
    /// How many times its facts' length each page's text is: 1 (default) renders the facts only; N adds neutral archive
    /// prose (no names, numbers or attribute words, so it never holds an answer) between the lead paragraph and the infobox
    /// until the text is about N times as long. 1 to 100.
    /// </summary>
    public int PageSizeFactor { get; set; } = 1;

    /// <summary>Throws when an option is out of range, naming it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        RequireAtLeast(Countries, 2, nameof(Countries));
        RequireAtLeast(Rivers, 2, nameof(Rivers));
        RequireAtLeast(Cities, 2, nameof(Cities));
        RequireAtLeast(People, 2, nameof(People));
        RequireAtLeast(Companies, 2, nameof(Companies));
        RequireAtLeast(Questions, 0, nameof(Questions));
        if (MinHops is < 2 or > 4)
        {
            throw new ArgumentOutOfRangeException(nameof(MinHops), MinHops, "OfflineWebOptions.MinHops must be between 2 and 4.");
        }

        if (MaxHops < MinHops || MaxHops > 4)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxHops), MaxHops, "OfflineWebOptions.MaxHops must be between MinHops and 4.");
        }

        if (PageSizeFactor is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(PageSizeFactor), PageSizeFactor, "OfflineWebOptions.PageSizeFactor must be between 1 and 100.");
        }

        if (Countries + Rivers + Cities + People + Companies > 200_000)
        {
            throw new ArgumentOutOfRangeException(nameof(People), "OfflineWebOptions: at most 200,000 entities in total.");
        }
    }

    private static void RequireAtLeast(int value, int min, string name)
    {
        if (value < min)
        {
            throw new ArgumentOutOfRangeException(name, value, $"OfflineWebOptions.{name} must be at least {min}.");
        }
    }
}
