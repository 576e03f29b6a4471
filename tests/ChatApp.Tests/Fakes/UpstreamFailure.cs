namespace Agents.Samples.ChatApp.Tests.Fakes;

/// <summary>The upstream model failure the error-hiding tests plant: a server path and key no client may see, and the error id it gets instead.</summary>
internal static partial class UpstreamFailure
{
    /// <summary>A fake model path and key that may reach the server log only.</summary>
    public const string Secret = "/srv/secret-models/weights.bin (key sk-live-0000SECRET)";

    /// <summary>The upstream error's message, with <see cref="Secret"/> in it.</summary>
    public const string Message = "Model file " + Secret + " could not be opened";

    /// <summary>The error id a client gets in place of the upstream error.</summary>
    [GeneratedRegex(@"err_[0-9a-f]{12}")]
    public static partial Regex ErrorId();
}
