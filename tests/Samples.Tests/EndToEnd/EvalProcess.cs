namespace Agents.Samples.Tests.EndToEnd;

/// <summary>The Eval sample as a child process: its dll, and the API key the fake model checks, in the environment.</summary>
internal static class EvalProcess
{
    public const string Key = "sk-eval";

    public static readonly Dictionary<string, string?> Env = new() { ["OPENAI_API_KEY"] = Key };

    public static string Dll => ChildProcess.SampleDll("Eval", "Agents.Samples.Eval");
}
