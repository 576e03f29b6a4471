namespace Agents.Samples.Common.Models;

/// <summary>A failure to talk to the model that the user must fix (unreachable endpoint, rejected key, unknown model).</summary>
/// <param name="Message">One clear sentence or two for the user.</param>
/// <param name="Exception">The underlying exception.</param>
public sealed record ModelFailure(string Message, Exception Exception);
