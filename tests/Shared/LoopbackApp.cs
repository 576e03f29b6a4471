using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Agents.Tests.Shared;

/// <summary>
/// A started web application on 127.0.0.1 and the address it listens on; disposing it stops it. The one copy of the
/// Kestrel start-up that the test servers share (linked into each test project that needs it).
/// </summary>
internal sealed class LoopbackApp : IAsyncDisposable
{
    private LoopbackApp(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The running application.</summary>
    public WebApplication App { get; }

    /// <summary>The address it listens on, ending in a slash, e.g. <c>http://127.0.0.1:1234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A slim builder whose Kestrel listens on 127.0.0.1 on a port the system picks, with no log providers.</summary>
    public static WebApplicationBuilder CreateBuilder()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        return builder;
    }

    /// <summary>Builds the application <paramref name="map"/> sets up on <see cref="CreateBuilder"/> and starts it.</summary>
    public static Task<LoopbackApp> StartAsync(Action<WebApplication> map)
    {
        var app = CreateBuilder().Build();
        map(app);
        return StartAsync(app);
    }

    /// <summary>Starts <paramref name="app"/> (which must listen on 127.0.0.1) and reads the address it got.</summary>
    public static async Task<LoopbackApp> StartAsync(WebApplication app)
    {
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackApp(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    /// <summary>The address of <paramref name="relative"/> below <see cref="BaseAddress"/>.</summary>
    public Uri Url(string relative) => new(BaseAddress, relative);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
