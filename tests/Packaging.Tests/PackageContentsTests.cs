using System.IO.Compression;
using System.Reflection.Metadata;
using System.Xml.Linq;

namespace Agents.Packaging.Tests;

/// <summary>Issue 15 item 4: what <c>dotnet pack</c> puts in every package and symbol package.</summary>
[Collection(PackedFeedCollection.Name)]
public sealed class PackageContentsTests(PackedFeedFixture feed)
{
    // Portable PDB custom debug information kinds.
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");
    private static readonly Guid EmbeddedSourceKind = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    public static TheoryData<string> PackedIds() =>
        [.. RepositoryLayout.WithReferences(ReadmeConsumer.Packages.Select(RepositoryLayout.ProjectOf)).Select(RepositoryLayout.AssemblyNameOf)];

    [Fact]
    public void EveryPackedProject_GivesAPackageAndASymbolPackage_AtTheVersionAskedFor()
    {
        Assert.NotEmpty(feed.PackageIds);
        foreach (string id in feed.PackageIds)
        {
            Assert.True(File.Exists(Path.Combine(feed.FeedDirectory, $"{id}.{feed.Version}.nupkg")), $"no {id}.{feed.Version}.nupkg:\n{feed.PackOutput}");
            Assert.True(File.Exists(Path.Combine(feed.FeedDirectory, $"{id}.{feed.Version}.snupkg")), $"no {id}.{feed.Version}.snupkg:\n{feed.PackOutput}");
        }
    }

    [Theory]
    [MemberData(nameof(PackedIds))]
    public void ThePackage_HasItsMetadata_ItsReadme_AndItsXmlDocs(string id)
    {
        using ZipArchive package = ZipFile.OpenRead(Path.Combine(feed.FeedDirectory, $"{id}.{feed.Version}.nupkg"));
        XElement metadata = Nuspec(package, id);
        XNamespace ns = metadata.Name.Namespace;

        Assert.Equal(id, (string?)metadata.Element(ns + "id"));
        Assert.Equal(feed.Version, (string?)metadata.Element(ns + "version"));
        Assert.False(string.IsNullOrWhiteSpace((string?)metadata.Element(ns + "description")), "no description");
        Assert.False(string.IsNullOrWhiteSpace((string?)metadata.Element(ns + "authors")), "no authors");
        Assert.False(string.IsNullOrWhiteSpace((string?)metadata.Element(ns + "tags")), "no tags");
        XElement license = Assert.IsType<XElement>(metadata.Element(ns + "license"));
        Assert.Equal("expression", (string?)license.Attribute("type"));
        Assert.False(string.IsNullOrWhiteSpace(license.Value));

        // The project's own README, at the package root.
        string readme = Assert.IsType<string>((string?)metadata.Element(ns + "readme"));
        ZipArchiveEntry readmeEntry = Assert.Single(package.Entries, e => e.FullName == readme);
        string projectReadme = File.ReadAllText(Path.Combine(Path.GetDirectoryName(RepositoryLayout.ProjectOf(id))!, "README.md"));
        using (var reader = new StreamReader(readmeEntry.Open()))
        {
            Assert.Equal(projectReadme, reader.ReadToEnd());
        }

        // SourceLink's repository element: the commit the package was built from.
        XElement repository = Assert.IsType<XElement>(metadata.Element(ns + "repository"));
        Assert.Equal("git", (string?)repository.Attribute("type"));
        Assert.Matches("^[0-9a-f]{40}$", (string?)repository.Attribute("commit") ?? string.Empty);

        Assert.Single(package.Entries, e => e.FullName.StartsWith("lib/", StringComparison.Ordinal) && e.Name == id + ".dll");
        Assert.Single(package.Entries, e => e.FullName.StartsWith("lib/", StringComparison.Ordinal) && e.Name == id + ".xml");
    }

    [Theory]
    [MemberData(nameof(PackedIds))]
    public void TheSymbolPackage_HasADeterministicPdb_WhoseEverySourceIsLinkedOrEmbedded(string id)
    {
        using ZipArchive symbols = ZipFile.OpenRead(Path.Combine(feed.FeedDirectory, $"{id}.{feed.Version}.snupkg"));
        ZipArchiveEntry pdbEntry = Assert.Single(symbols.Entries, e => e.FullName.StartsWith("lib/", StringComparison.Ordinal) && e.Name == id + ".pdb");
        using var pdb = new MemoryStream();
        using (Stream stream = pdbEntry.Open())
        {
            stream.CopyTo(pdb);
        }

        pdb.Position = 0;
        using var provider = MetadataReaderProvider.FromPortablePdbStream(pdb);
        MetadataReader reader = provider.GetMetadataReader();
        bool sourceLink = reader.GetCustomDebugInformation(EntityHandle.ModuleDefinition)
            .Any(h => reader.GetGuid(reader.GetCustomDebugInformation(h).Kind) == SourceLinkKind);
        Assert.NotEmpty(reader.Documents);
        foreach (DocumentHandle handle in reader.Documents)
        {
            string path = reader.GetString(reader.GetDocument(handle).Name);
            // A deterministic CI build maps the build machine's folders to /_/.
            Assert.StartsWith("/_/", path, StringComparison.Ordinal);
            bool embedded = reader.GetCustomDebugInformation(handle)
                .Any(h => reader.GetGuid(reader.GetCustomDebugInformation(h).Kind) == EmbeddedSourceKind);
            Assert.True(sourceLink || embedded, $"{path} is neither mapped by SourceLink nor embedded in {id}.pdb.");
        }
    }

    private static XElement Nuspec(ZipArchive package, string id)
    {
        ZipArchiveEntry entry = Assert.Single(package.Entries, e => e.FullName == id + ".nuspec");
        using Stream stream = entry.Open();
        XElement root = XDocument.Load(stream).Root!;
        return root.Element(root.Name.Namespace + "metadata")!;
    }
}
