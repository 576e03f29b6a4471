using System.Runtime.InteropServices;

namespace Agents.Samples.Common.Cli;

/// <summary>Runs a console program's body with a token that Ctrl+C and SIGTERM cancel (instead of killing the process).</summary>
public static class ConsoleCancellation
{
    /// <summary>Runs <paramref name="body"/>; Ctrl+C or SIGTERM cancel its token so it can stop cleanly and keep its work.</summary>
    public static async Task<int> RunAsync(Func<CancellationToken, Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
        {
            ctx.Cancel = true;
            cts.Cancel();
        });
        try
        {
            return await body(cts.Token).ConfigureAwait(false);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
