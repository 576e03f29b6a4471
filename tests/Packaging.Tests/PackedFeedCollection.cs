namespace Agents.Packaging.Tests;

/// <summary>The tests that share one packed feed.</summary>
[CollectionDefinition(Name)]
public sealed class PackedFeedCollection : ICollectionFixture<PackedFeedFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Packed feed";
}
