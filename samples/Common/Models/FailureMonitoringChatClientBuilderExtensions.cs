namespace Agents.Samples.Common.Models;

/// <summary>Adds <see cref="FailureMonitoringChatClient"/> to a <see cref="ChatClientBuilder"/>.</summary>
public static class FailureMonitoringChatClientBuilderExtensions
{
    /// <summary>Reports connection-level failures of the inner client to <paramref name="monitor"/>.</summary>
    public static ChatClientBuilder UseFailureMonitoring(this ChatClientBuilder builder, ModelFailureMonitor monitor, ModelSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(settings);
        return builder.Use(inner => new FailureMonitoringChatClient(inner, monitor, settings));
    }
}
