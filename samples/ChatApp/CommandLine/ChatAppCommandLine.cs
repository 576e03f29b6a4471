using Agents.Samples.CommandLine;

namespace Agents.Samples.ChatApp.CommandLine;

/// <summary>The chat app's command line: <c>--help</c> and the main settings as options (see <see cref="SettingsCommandLine"/>).</summary>
internal static class ChatAppCommandLine
{
    private const string Section = ChatAppOptions.SectionName;

    /// <summary>The main settings: option, configuration key, what it sets.</summary>
    public static IReadOnlyList<(string Name, string Key, string Help)> Settings { get; } =
    [
        ("--listen", Section + ":Urls", "Addresses to listen on, ';'-separated (default http://127.0.0.1:5080). Beyond loopback an API key is required."),
        ("--api-key", Section + ":ApiKey", "The key clients send (X-Api-Key or Authorization: Bearer) on /api and /v1; better set in the environment (ChatApp__ApiKey)."),
        ("--allowed-hosts", Section + ":AllowedHosts", "Extra host names clients may use in the Host header, ';'-separated."),
        ("--model-provider", Section + ":Model:Provider", "'onnx' (a local model folder) or 'openai' (an OpenAI-compatible endpoint); its key goes in ChatApp__Model__ApiKey."),
        ("--model-path", Section + ":Model:Path", "The local ONNX model folder (provider onnx)."),
        ("--model-endpoint", Section + ":Model:Endpoint", "The OpenAI-compatible endpoint, for example http://127.0.0.1:11434/v1 (provider openai)."),
        ("--model-id", Section + ":Model:ModelId", "The model name sent to the endpoint."),
        ("--search-provider", Section + ":Research:SearchProvider", "'local' (the documents folder) or 'searxng'."),
        ("--documents", Section + ":Research:DocumentsFolder", "The folder the local search engine indexes."),
        ("--searxng-url", Section + ":Research:SearxngUrl", "The SearXNG instance (search provider searxng)."),
        ("--workspace", Section + ":Research:WorkspaceRoot", "Where each conversation's notes and archived pages are kept."),
        ("--conversations", Section + ":ConversationsPath", "The SQLite file that keeps the conversations across restarts (default data/conversations.db)."),
        ("--cluster", Section + ":Cluster:Redis", "Cluster mode: redis://host:port. Replicas with the same Redis serve every conversation (see docs/scale-out.md)."),
        ("--cluster-ports", Section + ":Cluster:SiloPort", "This replica's silo port (default 11111; the gateway port is ChatApp:Cluster:GatewayPort, default 30000)."),
    ];

    /// <inheritdoc cref="SettingsCommandLine.Parse"/>
    public static (int? ExitCode, string[] Arguments) Parse(string[] args, TextWriter? output = null) =>
        SettingsCommandLine.Parse(
            "A Copilot-style chat page over the budget-aware research agents (BATS, ReAct + budget tracker, deep-research reports), and an OpenAI-compatible /v1/chat/completions.",
            Settings, args, output);
}
