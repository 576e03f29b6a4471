using Agents.Samples.ChatApp.CommandLine;

// A Copilot-style chat page over the budget-aware research agents, plus an OpenAI-compatible endpoint.
// Configuration: appsettings.json, environment (ChatApp__Urls=...) or arguments (--ChatApp:Urls=...).
var (exitCode, configurationArgs) = ChatAppCommandLine.Parse(args);
if (exitCode is { } code)
{
    return code;
}

var app = ChatAppHost.Build(configurationArgs);
var exposure = ChatAppHost.ExposureOf(app);
await app.RunAsync().ConfigureAwait(false);

// The server stops itself when it is bound beyond loopback without an API key (see ChatAppHost).
if (exposure.Refusal is { } refusal)
{
    await Console.Error.WriteLineAsync("Refusing to run: " + refusal).ConfigureAwait(false);
    return 2;
}

return 0;
