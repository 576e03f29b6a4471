using Agents.Samples.CommandLine;

namespace Agents.Samples.McpServer.CommandLine;

/// <summary>The MCP server's command line: <c>--help</c> and the main settings as options (see <see cref="SettingsCommandLine"/>).</summary>
internal static class McpCommandLine
{
    private const string Section = McpServerSettings.SectionName;

    /// <summary>The main settings: option, configuration key, what it sets.</summary>
    public static IReadOnlyList<(string Name, string Key, string Help)> Settings { get; } =
    [
        ("--transport", Section + ":Transport", "'stdio' (default) or 'http' (Streamable HTTP at /mcp)."),
        ("--listen", Section + ":Urls", "HTTP addresses, ';'-separated (default http://127.0.0.1:5090). Beyond loopback an API key is required."),
        ("--api-key", Section + ":ApiKey", "The key HTTP clients send (Authorization: Bearer or X-Api-Key); better set in the environment (Mcp__ApiKey)."),
        ("--allowed-hosts", Section + ":AllowedHosts", "Extra host names HTTP clients may use in the Host header, ';'-separated."),
        ("--allowed-origins", Section + ":AllowedOrigins", "Extra web origins whose pages may call /mcp, ';'-separated."),
        ("--search-provider", Section + ":Research:SearchProvider", "'local' (the documents folder) or 'searxng'."),
        ("--documents", Section + ":Research:DocumentsFolder", "The folder the local search engine indexes."),
        ("--searxng-url", Section + ":Research:SearxngUrl", "The SearXNG instance (search provider searxng)."),
        ("--workspace", Section + ":Research:WorkspaceRoot", "The memory workspace the memory tools work in."),
        ("--model-provider", Section + ":Model:Provider", "'onnx' or 'openai': the model of the research tool (none: no research tool); its key goes in Mcp__Model__ApiKey."),
        ("--model-path", Section + ":Model:Path", "The local ONNX model folder (provider onnx)."),
        ("--model-endpoint", Section + ":Model:Endpoint", "The OpenAI-compatible endpoint (provider openai)."),
        ("--model-id", Section + ":Model:ModelId", "The model name sent to the endpoint."),
        ("--search-units", Section + ":Budget:SearchUnits", "The server's search budget, shared by every client (default 100)."),
        ("--browse-units", Section + ":Budget:BrowseUnits", "The server's browse budget (default 100)."),
        ("--max-cost-usd", Section + ":Budget:MaxCostUsd", "The server's money limit for the research tool's model (default 5)."),
        ("--cluster", Section + ":Cluster:Redis", "Cluster mode: redis://host:port. Replicas with the same Redis and cluster id spend one shared budget (see docs/scale-out.md)."),
        ("--cluster-id", Section + ":Cluster:ClusterId", "The cluster the replica joins (default agents-mcp)."),
        ("--budget-id", Section + ":Cluster:BudgetId", "The shared budget's id (default mcp); its limits are the --*-units, --max-cost-usd settings."),
        ("--silo-port", Section + ":Cluster:SiloPort", "This replica's silo port (default 11111)."),
        ("--gateway-port", Section + ":Cluster:GatewayPort", "This replica's gateway port (default 30000)."),
        ("--advertise", Section + ":Cluster:AdvertisedAddress", "The IP address the other replicas reach this one at (default: this machine's)."),
    ];

    /// <inheritdoc cref="SettingsCommandLine.Parse"/>
    public static (int? ExitCode, string[] Arguments) Parse(string[] args, TextWriter? output = null) =>
        SettingsCommandLine.Parse(
            "An MCP server (stdio or Streamable HTTP) exposing research tools (web_search, browser_browse, browser_find_in_page, memory_*, research, budget_status) charged to one server-side budget.",
            Settings, args, output);
}
