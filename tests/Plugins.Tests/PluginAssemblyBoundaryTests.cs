using System.Reflection;
using System.Runtime.CompilerServices;
using Agents.Plugins.Browsing;
using Agents.Plugins.Extraction;
using Agents.Plugins.LocalDocuments;
using Agents.Plugins.Memory;
using Agents.Plugins.Reading;
using Agents.Plugins.Resilience;
using Agents.Plugins.Search;
using Agents.Plugins.Security;

namespace Agents.Plugins.Tests;

/// <summary>
/// Each plugin package stands alone: a library shows its internals only to its tests and benchmarks, so that a user who
/// updates one plugin package and not Agents.Plugins.Core never meets a MissingMethodException.
/// </summary>
public sealed class PluginAssemblyBoundaryTests
{
    [Theory]
    [InlineData(typeof(UrlGuard))]
    [InlineData(typeof(WebSearchPlugin))]
    [InlineData(typeof(HttpPageFetcher))]
    [InlineData(typeof(FileSystemMemoryPlugin))]
    [InlineData(typeof(ModelReaderPlugin))]
    [InlineData(typeof(LocalDocumentsSearchEngine))]
    [InlineData(typeof(ContentExtractor))]
    public void Plugin_library_shows_its_internals_only_to_tests_and_benchmarks(Type typeInLibrary)
    {
        string[] friends = [.. typeInLibrary.Assembly.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName)];

        Assert.NotEmpty(friends);
        Assert.All(friends, name => Assert.True(name.EndsWith(".Tests", StringComparison.Ordinal) || name.EndsWith(".Benchmarks", StringComparison.Ordinal), $"{typeInLibrary.Assembly.GetName().Name} shows its internals to {name}."));
    }

    [Theory]
    [InlineData(typeof(UrlGuard))]
    [InlineData(typeof(UrlCheck))]
    [InlineData(typeof(GuardedConnector))]
    [InlineData(typeof(CappedBody))]
    [InlineData(typeof(HttpResilience))]
    [InlineData(typeof(HostResiliencePipelines))]
    [InlineData(typeof(OptionsValidation))]
    public void Core_pieces_the_plugins_share_are_public_and_sealed(Type type)
    {
        Assert.True(type.IsPublic, $"{type.Name} is not public.");
        Assert.True(type.IsSealed, $"{type.Name} is not sealed (or static).");
    }

    [Fact]
    public void Resilience_options_validation_is_a_protected_extension_point()
    {
        var method = typeof(HttpResilienceOptions).GetMethod("ValidateMembers", BindingFlags.Instance | BindingFlags.NonPublic);

        Assert.NotNull(method);
        Assert.True(method.IsFamily && method.IsVirtual, "HttpResilienceOptions.ValidateMembers is not protected virtual.");
    }
}
