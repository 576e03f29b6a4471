using System.ComponentModel.DataAnnotations;

namespace Agents.Plugins.Reading;

/// <summary>Options of <see cref="ModelReaderPlugin"/>.</summary>
public sealed class ModelReaderPluginOptions
{
    /// <summary>Gets or sets the most characters of text given to the reading model in one call; longer text is cut and marked. Default 24,000; 200 to 2,000,000.</summary>
    [Range(200, 2_000_000)]
    public int MaxInputChars { get; set; } = 24_000;

    /// <summary>Gets or sets the most output tokens of one reading call. Default 1,024; 16 to 100,000.</summary>
    [Range(16, 100_000)]
    public int MaxOutputTokens { get; set; } = 1_024;

    /// <summary>Gets or sets the most characters of a JSON schema given to <c>extract</c>. Default 8,000; 100 to 200,000.</summary>
    [Range(100, 200_000)]
    public int MaxSchemaChars { get; set; } = 8_000;

    /// <summary>Gets or sets chat options for every reading call (model id, temperature, ...); the plugin sets the output cap and response format.</summary>
    public ChatOptions? ChatOptions { get; set; }

    /// <summary>Checks the options.</summary>
    /// <exception cref="OptionsValidationException">A number is out of range (the message names the option).</exception>
    public void Validate() => OptionsValidation.ThrowIfFailed<ModelReaderPluginOptions>(new ModelReaderPluginOptionsValidator().Validate(null, this));
}
