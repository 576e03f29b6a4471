using Microsoft.Extensions.Options;

namespace Agents.Conversations;

/// <summary>Limits and location of a conversation store.</summary>
public sealed class ConversationStoreOptions
{
    /// <summary>Gets or sets the SQLite database file of <see cref="SqliteConversationStore"/>. Default <c>conversations.db</c> in the current directory.</summary>
    public string DatabasePath { get; set; } = "conversations.db";

    /// <summary>Gets or sets how many conversations the store holds at most. Default 1,000.</summary>
    public int MaxConversations { get; set; } = 1_000;

    /// <summary>Gets or sets how many turns one conversation holds at most. Default 1,000.</summary>
    public int MaxTurnsPerConversation { get; set; } = 1_000;

    /// <summary>Gets or sets the longest title, in characters. Default 200.</summary>
    public int MaxTitleLength { get; set; } = 200;

    /// <summary>Gets or sets the largest turn payload, in characters. Default 4,000,000.</summary>
    public int MaxPayloadLength { get; set; } = 4_000_000;

    /// <summary>Checks the options.</summary>
    /// <exception cref="OptionsValidationException">An option is out of range.</exception>
    public void Validate()
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(DatabasePath))
        {
            failures.Add($"{nameof(DatabasePath)} must name a file.");
        }

        Positive(MaxConversations, nameof(MaxConversations), failures);
        Positive(MaxTurnsPerConversation, nameof(MaxTurnsPerConversation), failures);
        Positive(MaxTitleLength, nameof(MaxTitleLength), failures);
        Positive(MaxPayloadLength, nameof(MaxPayloadLength), failures);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(nameof(ConversationStoreOptions), typeof(ConversationStoreOptions), failures.Select(f => $"{nameof(ConversationStoreOptions)}.{f}"));
        }
    }

    private static void Positive(int value, string name, List<string> failures)
    {
        if (value < 1)
        {
            failures.Add($"{name} must be at least 1 (was {value}).");
        }
    }
}
