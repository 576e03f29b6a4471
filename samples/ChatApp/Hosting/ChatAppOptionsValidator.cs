using Agents.Hosting.AspNetCore;

namespace Agents.Samples.ChatApp.Hosting;

/// <summary>Validates <see cref="ChatAppOptions"/> at start-up, naming the option that is wrong.</summary>
internal sealed class ChatAppOptionsValidator : IValidateOptions<ChatAppOptions>
{
    public ValidateOptionsResult Validate(string? name, ChatAppOptions options)
    {
        var failures = new List<string>();
        failures.AddRange(ListenUrls.Validate(ChatAppOptions.SectionName, options.Urls, options.ApiKey, "http://127.0.0.1:5080", "use the app"));
        if (options.ApiKey is { Length: > 0 and < 16 })
        {
            failures.Add("ChatApp:ApiKey must be at least 16 characters long.");
        }

        failures.AddRange(ExposureGuard.ValidateHosts(ChatAppOptions.SectionName, options.AllowedHosts));

        var limits = options.Limits;
        if (limits.MaxRequestBytes < 1024) failures.Add("ChatApp:Limits:MaxRequestBytes must be at least 1024.");
        if (limits.MaxMessageChars < 1) failures.Add("ChatApp:Limits:MaxMessageChars must be positive.");
        if (limits.MaxSearchUnits < 0) failures.Add("ChatApp:Limits:MaxSearchUnits must not be negative.");
        if (limits.MaxBrowseUnits < 0) failures.Add("ChatApp:Limits:MaxBrowseUnits must not be negative.");
        if (limits.MaxTokens < 1) failures.Add("ChatApp:Limits:MaxTokens must be positive.");
        if (limits.MaxCostUsd <= 0) failures.Add("ChatApp:Limits:MaxCostUsd must be positive.");
        if (limits.MaxRunDuration <= TimeSpan.Zero) failures.Add("ChatApp:Limits:MaxRunDuration must be positive.");
        if (limits.MaxCompletionTokens < 1) failures.Add("ChatApp:Limits:MaxCompletionTokens must be positive.");
        if (limits.MaxCompletionPromptChars < 1) failures.Add("ChatApp:Limits:MaxCompletionPromptChars must be positive.");
        if (limits.MaxMessagesPerConversation < 2) failures.Add("ChatApp:Limits:MaxMessagesPerConversation must be at least 2.");
        if (limits.MaxConversations < 1) failures.Add("ChatApp:Limits:MaxConversations must be positive.");
        if (options.AskForMoreUnits < 0) failures.Add("ChatApp:AskForMoreUnits must not be negative (0 never asks).");
        if (options.AskTimeout <= TimeSpan.Zero) failures.Add("ChatApp:AskTimeout must be positive.");
        if (string.IsNullOrWhiteSpace(options.ConversationsPath)) failures.Add("ChatApp:ConversationsPath must name a file, such as data/conversations.db.");
        if (options.Cluster.RedisConfiguration is { } redis)
        {
            if (redis.Length == 0 || redis.Contains(' ', StringComparison.Ordinal)) failures.Add($"ChatApp:Cluster:Redis '{options.Cluster.Redis}' is not a Redis address; use host:port or redis://host:port.");
            failures.AddRange(options.Cluster.Validate("ChatApp:Cluster"));
        }

        var budgetError = BudgetRules.Check(options.DefaultBudget, limits, "ChatApp:DefaultBudget");
        if (budgetError is not null) failures.Add(budgetError);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
