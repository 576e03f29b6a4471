namespace Agents.Conversations;

/// <summary>A conversation is full: it already holds <see cref="ConversationStoreOptions.MaxTurnsPerConversation"/> turns.</summary>
public sealed class ConversationLimitException : InvalidOperationException
{
    /// <summary>Initializes a new instance of the <see cref="ConversationLimitException"/> class.</summary>
    public ConversationLimitException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConversationLimitException"/> class.</summary>
    /// <param name="message">The message.</param>
    public ConversationLimitException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConversationLimitException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ConversationLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
