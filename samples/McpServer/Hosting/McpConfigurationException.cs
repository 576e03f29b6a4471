namespace Agents.Samples.McpServer.Hosting;

/// <summary>The server's configuration is wrong; the message names the option.</summary>
internal sealed class McpConfigurationException : Exception
{
    public McpConfigurationException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
