using System.Globalization;

namespace Agents.Samples.ChatApp.Tests.Web;

/// <summary>What a user does on the chat page, for the page tests.</summary>
internal static class ChatPageActions
{
    /// <summary>
    /// Picks <paramref name="strategy"/>, <paramref name="searchUnits"/> and <paramref name="browseUnits"/> where given, asks
    /// <paramref name="question"/>, and returns the run it starts (the page's last).
    /// </summary>
    public static async Task<ILocator> AskAsync(this IPage page, string question, string? strategy = null, int? searchUnits = null, int? browseUnits = null)
    {
        if (strategy is not null)
        {
            await page.GetByTestId("strategy").SelectOptionAsync(strategy);
        }

        if (searchUnits is { } search)
        {
            await page.GetByTestId("budget-search").FillAsync(search.ToString(CultureInfo.InvariantCulture));
        }

        if (browseUnits is { } browse)
        {
            await page.GetByTestId("budget-browse").FillAsync(browse.ToString(CultureInfo.InvariantCulture));
        }

        await page.GetByTestId("question").FillAsync(question);
        await page.GetByTestId("send").ClickAsync();
        return page.GetByTestId("run").Last;
    }
}
