using Agents.LocalEngine;
using Microsoft.Extensions.Logging;

namespace Agents.Samples.Shared;

/// <summary>Loads a local ONNX model folder with the LocalEngine as an <see cref="Microsoft.Extensions.AI.IChatClient"/>.</summary>
internal static class LocalOnnxModel
{
    /// <summary>Loads the folder in <see cref="ModelOptions.Path"/>.</summary>
    /// <exception cref="InvalidOperationException">The folder option is missing or the folder does not exist.</exception>
    /// <exception cref="LocalModelLoadException">The folder is not a loadable model; the message names the file.</exception>
    public static ChatModel Create(ModelOptions options, string section, ILoggerFactory? loggerFactory)
    {
        if (string.IsNullOrWhiteSpace(options.Path) || !Directory.Exists(options.Path))
        {
            throw new InvalidOperationException($"{section}:Path '{options.Path}' is not a folder; give a local ONNX model folder (a Hugging Face Optimum or onnxruntime-genai export).");
        }

        var engine = new LocalOnnxEngine(options.Path, new LocalOnnxEngineOptions(), loggerFactory);
        var client = new LocalOnnxChatClient(engine, ownsEngine: true);
        return new ChatModel(client, string.IsNullOrWhiteSpace(options.ModelId) ? engine.ModelId : options.ModelId);
    }
}
