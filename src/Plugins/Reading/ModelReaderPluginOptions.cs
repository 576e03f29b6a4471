using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Agents.Plugins.Reading;

/// <summary>Options of <see cref="ModelReaderPlugin"/>.</summary>
public sealed class ModelReaderPluginOptions
{
    /// <summary>Gets or sets the most characters of text given to the reading model in one call; longer text is cut and marked. Default 24,000; 200 to 2,000,000.</summary>
    public int MaxInputChars { get; set; } = 24_000;

    /// <summary>Gets or sets the most output tokens of one reading call. Default 1,024; 16 to 100,000.</summary>
    public int MaxOutputTokens { get; set; } = 1_024;

    /// <summary>Gets or sets the most characters of a JSON schema given to <c>extract</c>. Default 8,000; 100 to 200,000.</summary>
    public int MaxSchemaChars { get; set; } = 8_000;

    /// <summary>Gets or sets chat options for every reading call (model id, temperature, ...); the plugin sets the output cap and response format.</summary>
    public ChatOptions? ChatOptions { get; set; }

    /// <summary>Checks the options.</summary>
    /// <exception cref="OptionsValidationException">A number is out of range (the message names the option).</exception>
    public void Validate()
    {
        Check(MaxInputChars, 200, 2_000_000, nameof(MaxInputChars));
        Check(MaxOutputTokens, 16, 100_000, nameof(MaxOutputTokens));
        Check(MaxSchemaChars, 100, 200_000, nameof(MaxSchemaChars));
    }

    private static void Check(int value, int min, int max, string name)
    {
        if (value < min || value > max)
        {
            throw new OptionsValidationException(nameof(ModelReaderPluginOptions), typeof(ModelReaderPluginOptions), [$"ModelReaderPluginOptions.{name} must be between {min} and {max}."]);
        }
    }
}
