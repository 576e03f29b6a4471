using Agents.Samples.McpServer.CommandLine;

// An MCP server (stdio by default, or Streamable HTTP with --Mcp:Transport=http) exposing budget-charged
// research tools. Configuration: appsettings.json, environment (Mcp__Budget__SearchUnits=...) or arguments
// (--Mcp:Research:DocumentsFolder=/data/docs).
var (exitCode, configurationArgs) = McpCommandLine.Parse(args);
if (exitCode is { } code)
{
    return code;
}

try
{
    return await McpServerHost.RunAsync(configurationArgs, CancellationToken.None).ConfigureAwait(false);
}
catch (McpConfigurationException ex)
{
    await Console.Error.WriteLineAsync("Configuration error: " + ex.Message).ConfigureAwait(false);
    return 2;
}
