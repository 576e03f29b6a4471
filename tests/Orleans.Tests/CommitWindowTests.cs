namespace Agents.Budget.Orleans.Tests;

/// <summary>The grain remembers which of its last 65,536 reservations were committed, so a late retry is never ambiguous.</summary>
public sealed class CommitWindowTests
{
    [Fact]
    public void Remembers_every_commit_of_the_window_and_forgets_only_what_slid_out()
    {
        var window = new CommitWindow();
        for (long s = 1; s <= 3 * CommitWindow.Size; s += 3)
        {
            window.Add(s); // every third reservation committed
        }

        long last = (3 * CommitWindow.Size) - 2;
        Assert.True(window.Contains(last));
        Assert.False(window.Contains(last - 1)); // released or expired, not committed
        Assert.True(window.Contains(last - (3 * 20_000))); // 20,000 commits later: still known
        Assert.False(window.Contains(1)); // slid out long ago
        Assert.True(window.Words.Count <= (CommitWindow.Size / 64) + 1, $"{window.Words.Count} words");
    }

    [Fact]
    public void A_far_jump_clears_the_window_and_old_or_unknown_numbers_are_not_committed()
    {
        var window = new CommitWindow();
        window.Add(5);
        window.Add(10 * CommitWindow.Size);
        Assert.False(window.Contains(5));
        Assert.True(window.Contains(10 * CommitWindow.Size));
        Assert.False(window.Contains((10 * CommitWindow.Size) + 1));
        window.Add(3); // before the window: ignored
        Assert.False(window.Contains(3));
    }
}
