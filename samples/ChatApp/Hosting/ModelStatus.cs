namespace Agents.Samples.ChatApp.Hosting;

/// <summary>Whether the chat page can run the agent, and what to set when it cannot; shown as the page's banner.</summary>
/// <param name="Configured"><see langword="true"/> when a model (and so the agent) is configured.</param>
/// <param name="Help">What to set when no model is configured; <see langword="null"/> otherwise.</param>
internal sealed record ModelStatus(bool Configured, string? Help)
{
    /// <summary>The text shown, and logged at start-up, when no model is configured.</summary>
    public const string NoModelHelp =
        "No model is configured, so questions cannot be answered yet. Set ChatApp:Model:Provider=onnx with ChatApp:Model:Path " +
        "(a local ONNX model folder), or ChatApp:Model:Provider=openai with ChatApp:Model:Endpoint and ChatApp:Model:ModelId " +
        "(an OpenAI-compatible server; key in OPENAI_API_KEY), for example: dotnet run --project samples/ChatApp -- " +
        "--ChatApp:Model:Provider=onnx --ChatApp:Model:Path=/models/qwen2.5-0.5b-instruct. " +
        "ChatApp:Research sets the documents folder or search provider.";

    /// <summary>Reads the status from the app's services.</summary>
    public static ModelStatus For(IServiceProvider services) =>
        services.GetService<IAgentRunner>() is null ? new ModelStatus(false, NoModelHelp) : new ModelStatus(true, null);
}
