using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Agents.Hosting.AspNetCore;

/// <summary>Puts an <see cref="ExposureGuard"/> in front of an app and checks the bound addresses once the server listens.</summary>
public static class ExposureGuardSetup
{
    /// <summary>
    /// Adds <see cref="ExposureGuardMiddleware"/> first in the pipeline and, once the server has started, hands the
    /// bound addresses to <paramref name="guard"/>; when it refuses, the application stops (check <see cref="ExposureGuard.Refusal"/>).
    /// </summary>
    /// <param name="app">The app, before other middleware is added.</param>
    /// <param name="guard">The guard.</param>
    /// <param name="originPaths">The paths whose <c>Origin</c> is checked.</param>
    /// <param name="writeError">Writes an error response in the app's format.</param>
    public static void Use(WebApplication app, ExposureGuard guard, PathString[] originPaths, Func<HttpContext, int, string, Task> writeError)
    {
        app.UseMiddleware<ExposureGuardMiddleware>(guard, originPaths, writeError);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            if (!guard.OnStarted([.. addresses]))
            {
                app.Lifetime.StopApplication();
            }
        });
    }
}
