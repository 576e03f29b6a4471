using Microsoft.Extensions.Options;

namespace Agents.LocalEngine;

/// <summary>Checks the DataAnnotations of <see cref="LocalOnnxEngineOptions"/> (generated).</summary>
[OptionsValidator]
internal sealed partial class LocalOnnxEngineOptionsValidator : IValidateOptions<LocalOnnxEngineOptions>
{
}
