namespace Agents.Budget.Orleans;

/// <summary>
/// Which of the last <see cref="Size"/> reservation sequence numbers were committed, one bit each (8 KiB for 65,536
/// reservations), so that a commit retried long after its answer was lost (a silo died, and thousands of other commits
/// came meanwhile) still gets <see cref="BudgetLedgerCommitStatus.AlreadyCommitted"/> rather than an ambiguous
/// <see cref="BudgetLedgerCommitStatus.NotPending"/>.
/// </summary>
[GenerateSerializer]
internal sealed class CommitWindow
{
    /// <summary>How many sequence numbers the window covers.</summary>
    internal const int Size = 64 * 1024;

    /// <summary>Gets or sets the sequence number of the first bit.</summary>
    [Id(0)]
    public long Base { get; set; } = 1;

    /// <summary>Gets or sets the bits, 64 sequence numbers a word.</summary>
    [Id(1)]
    public List<ulong> Words { get; set; } = [];

    /// <summary>Marks a sequence number as committed, sliding the window forward when it is beyond it.</summary>
    public void Add(long sequence)
    {
        if (sequence < Base)
        {
            return; // older than the window: nobody can ask about it any more
        }

        long end = Base + Size;
        if (sequence >= end)
        {
            // Slide by whole words so that the bits keep their positions within a word.
            long words = ((sequence - end) / 64) + 1;
            int drop = (int)Math.Min(words, Words.Count);
            Words.RemoveRange(0, drop);
            Base += words * 64;
        }

        long offset = sequence - Base;
        int word = (int)(offset / 64);
        while (Words.Count <= word)
        {
            Words.Add(0);
        }

        Words[word] |= 1UL << (int)(offset % 64);
    }

    /// <summary>Tells whether a sequence number within the window was committed.</summary>
    public bool Contains(long sequence)
    {
        if (sequence < Base || sequence >= Base + Size)
        {
            return false;
        }

        long offset = sequence - Base;
        int word = (int)(offset / 64);
        return word < Words.Count && (Words[word] & (1UL << (int)(offset % 64))) != 0;
    }
}
