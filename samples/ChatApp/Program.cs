using Agents.Samples.ChatApp.Hosting;

// A Copilot-style chat page over the budget-aware research agents, plus an OpenAI-compatible endpoint.
// Configuration: appsettings.json, environment (ChatApp__Urls=...) or arguments (--ChatApp:Urls=...).
var app = ChatAppHost.Build(args);
await app.RunAsync().ConfigureAwait(false);
