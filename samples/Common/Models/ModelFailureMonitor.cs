using System.ClientModel;
using System.Net.Http;
using System.Net.Sockets;

namespace Agents.Samples.Common.Models;

/// <summary>
/// Remembers the first transport or authentication failure of the model connection. Agents report model errors
/// inside their results (they never throw); the samples use this to tell "the model is unreachable" apart from a
/// question the agent could not answer, to print a clear message and exit non-zero.
/// </summary>
public sealed class ModelFailureMonitor
{
    private ModelFailure? _failure;

    /// <summary>The first failure seen, or null.</summary>
    public ModelFailure? Failure => Volatile.Read(ref _failure);

    /// <summary>Classifies <paramref name="exception"/> and keeps it when it is a connection-level failure.</summary>
    /// <returns>Whether the exception was a connection-level failure.</returns>
    public bool Observe(Exception exception, ModelSettings settings)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(settings);
        var failure = Classify(exception, settings);
        if (failure is null)
        {
            return false;
        }

        Interlocked.CompareExchange(ref _failure, failure, null);
        return true;
    }

    /// <summary>Turns a connection-level exception into a message for the user; null for other exceptions.</summary>
    public static ModelFailure? Classify(Exception exception, ModelSettings settings)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(settings);
        string where = settings.Endpoint?.ToString() ?? settings.DisplayName;
        if (exception is ClientResultException { Status: > 0 } cre)
        {
            return cre.Status switch
            {
                401 or 403 => new ModelFailure(
                    $"The endpoint {where} rejected the API key (HTTP {cre.Status}). Put a valid key in the environment variable "
                    + $"{settings.ApiKeyVariable}{(settings.ApiKey is null ? " (it is not set)" : string.Empty)}, or name another variable with --api-key-env.", exception),
                404 => new ModelFailure(
                    $"The endpoint {where} answered HTTP 404: check that --endpoint is the API base (for example http://localhost:11434/v1) and that the model '{settings.ModelId}' exists there.", exception),
                _ => null,
            };
        }

        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or SocketException)
            {
                return new ModelFailure($"Could not reach the model endpoint {where}: {e.Message}. Check --endpoint and that the server is running.", exception);
            }
        }

        return null;
    }
}
