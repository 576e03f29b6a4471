using System.Reflection;
using System.Runtime.CompilerServices;

namespace Agents.Conversations.Tests;

/// <summary>
/// The argument checks a store implementer calls (the Orleans store of Agents.Cluster among them) are public API, and
/// the package shows its internals only to its tests.
/// </summary>
public sealed class ConversationInputTests
{
    private static readonly ConversationStoreOptions Options = new() { MaxTitleLength = 5, MaxPayloadLength = 3 };

    [Fact]
    public void ValidateId_RefusesEmptyAndOverlongIds()
    {
        ConversationInput.ValidateId(new string('a', ConversationInput.MaxIdLength));

        Assert.Equal("id", Assert.Throws<ArgumentNullException>(() => ConversationInput.ValidateId(null!)).ParamName);
        Assert.Equal("id", Assert.Throws<ArgumentException>(() => ConversationInput.ValidateId("  ")).ParamName);
        ArgumentException tooLong = Assert.Throws<ArgumentException>(() => ConversationInput.ValidateId(new string('a', ConversationInput.MaxIdLength + 1)));
        Assert.Equal("id", tooLong.ParamName);
        Assert.Contains("at most 128 characters", tooLong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NormalizeTitle_TrimsAndCuts()
    {
        Assert.Equal("abcde", ConversationInput.NormalizeTitle("  abcdefgh ", Options));
        Assert.Equal("ab", ConversationInput.NormalizeTitle(" ab ", Options));
        Assert.Equal("title", Assert.Throws<ArgumentNullException>(() => ConversationInput.NormalizeTitle(null!, Options)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => ConversationInput.NormalizeTitle("a", null!)).ParamName);
    }

    [Fact]
    public void ValidateTurn_RefusesMissingRoleAndOverlongPayload()
    {
        ConversationInput.ValidateTurn(new ConversationTurn("user", "abc"), Options);

        ArgumentException noRole = Assert.Throws<ArgumentException>(() => ConversationInput.ValidateTurn(new ConversationTurn(" ", "a"), Options));
        ArgumentException tooLong = Assert.Throws<ArgumentException>(() => ConversationInput.ValidateTurn(new ConversationTurn("user", "abcd"), Options));
        Assert.Equal("turn", noRole.ParamName);
        Assert.Contains("needs a role", noRole.Message, StringComparison.Ordinal);
        Assert.Contains("payload has 4 characters; the store keeps at most 3", tooLong.Message, StringComparison.Ordinal);
        Assert.Equal("turn", Assert.Throws<ArgumentNullException>(() => ConversationInput.ValidateTurn(null!, Options)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => ConversationInput.ValidateTurn(new ConversationTurn("user", "a"), null!)).ParamName);
    }

    [Fact]
    public void TurnLimitReached_NamesTheConversationAndTheLimit()
    {
        ConversationLimitException error = ConversationInput.TurnLimitReached("c1", 7);
        Assert.Equal("Conversation c1 already holds 7 turns, the most it may; start a new conversation.", error.Message);
    }

    [Fact]
    public void ConversationsPackage_ShowsItsInternals_OnlyToTests()
    {
        string[] friends = [.. typeof(ConversationInput).Assembly.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName)];

        Assert.All(friends, name => Assert.True(name.EndsWith(".Tests", StringComparison.Ordinal), $"Agents.Conversations shows its internals to {name}."));
    }
}
