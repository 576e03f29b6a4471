namespace Agents.Samples.Tests.EndToEnd;

/// <summary>The ResearchAgent sample as a child process: its dll, and the API key the fake model checks, in the environment.</summary>
internal static class ResearchAgentProcess
{
    public const string Key = "sk-test-123";

    public static readonly Dictionary<string, string?> Env = new() { ["OPENAI_API_KEY"] = Key };

    public static string Dll => ChildProcess.SampleDll("ResearchAgent", "Agents.Samples.ResearchAgent");
}
