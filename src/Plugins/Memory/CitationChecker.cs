using System.Globalization;
using System.Text.RegularExpressions;

namespace Agents.Plugins.Memory;

/// <summary>
/// Checks that every <c>[n]</c> in a report resolves to an existing archived source and that every reference
/// is cited. The reference list follows a heading named <c>References</c> (any level); each entry is a line
/// <c>[n] knowledge_base/sources/&lt;slug&gt;.md</c> (or <c>n. …</c>), optionally with title and URL; an entry
/// that names only a URL resolves through <see cref="SourceArchive.GetSourcePath"/>.
/// </summary>
public sealed partial class CitationChecker
{
    private readonly MemoryWorkspace _workspace;
    private readonly SourceArchive _archive;

    /// <summary>Creates the checker over a workspace.</summary>
    /// <param name="workspace">The workspace holding the report and the source archive.</param>
    public CitationChecker(MemoryWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        _workspace = workspace;
        _archive = new SourceArchive(workspace);
    }

    /// <summary>Checks a report file in the workspace.</summary>
    /// <param name="reportPath">The report, relative to the workspace root; <c>report.md</c> by default.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The result.</returns>
    /// <exception cref="WorkspaceAccessException">The path is refused or the report does not exist.</exception>
    public async Task<CitationReport> CheckAsync(string reportPath = "report.md", CancellationToken cancellationToken = default)
    {
        var text = await _workspace.TryReadTextAsync(reportPath, cancellationToken).ConfigureAwait(false)
            ?? throw new WorkspaceAccessException($"'{reportPath}' does not exist; write the report before checking its citations.");
        return await CheckTextAsync(text, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks report text.</summary>
    /// <param name="markdown">The report in Markdown.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The result.</returns>
    public async Task<CitationReport> CheckTextAsync(string markdown, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var lines = MemoryWorkspace.SplitLines(markdown);
        var referencesStart = lines.FindLastIndex(line => ReferencesHeading().IsMatch(line));
        var bodyLines = referencesStart < 0 ? lines : lines.Take(referencesStart);
        var referenceLines = referencesStart < 0 ? [] : lines.Skip(referencesStart + 1).ToList();

        var cited = new SortedSet<int>();
        foreach (var line in bodyLines)
        {
            foreach (Match match in CitationGroup().Matches(line))
            {
                foreach (var part in match.Groups[1].Value.Split(','))
                {
                    cited.Add(int.Parse(part.Trim(), CultureInfo.InvariantCulture));
                }
            }
        }

        var problems = new List<string>();
        var references = new SortedDictionary<int, string>();
        var resolved = new HashSet<int>();
        foreach (var line in referenceLines)
        {
            var entry = ReferenceEntry().Match(line);
            if (!entry.Success)
            {
                continue;
            }

            var number = int.Parse(entry.Groups["n"].Value, CultureInfo.InvariantCulture);
            var target = entry.Groups["rest"].Value.Trim();
            if (references.ContainsKey(number))
            {
                problems.Add($"Reference [{number}] is listed more than once.");
                continue;
            }

            var sourcePath = await ResolveAsync(target, cancellationToken).ConfigureAwait(false);
            references[number] = sourcePath ?? target;
            if (sourcePath is not null)
            {
                resolved.Add(number);
            }
        }

        var dangling = new List<int>();
        foreach (var number in cited)
        {
            if (!references.TryGetValue(number, out var target))
            {
                dangling.Add(number);
                problems.Add($"[{number}] is cited but has no entry under the References heading.");
            }
            else if (!resolved.Contains(number))
            {
                dangling.Add(number);
                problems.Add($"[{number}] refers to '{target}', which is not an existing archived source in {MemoryWorkspace.SourcesFolder}.");
            }
        }

        var orphans = references.Keys.Where(number => !cited.Contains(number)).ToList();
        foreach (var number in orphans)
        {
            problems.Add($"Reference [{number}] is never cited in the text.");
        }

        if (referencesStart < 0 && cited.Count > 0)
        {
            problems.Insert(0, "The report has citations but no 'References' heading.");
        }

        return new CitationReport(cited.ToList(), references, dangling, orphans, problems);
    }

    private async Task<string?> ResolveAsync(string target, CancellationToken cancellationToken)
    {
        var pathMatch = SourcePath().Match(target);
        if (pathMatch.Success)
        {
            var source = await _archive.ReadSourceAsync(pathMatch.Value, cancellationToken).ConfigureAwait(false);
            return source?.Path;
        }

        var urlMatch = Url().Match(target);
        if (urlMatch.Success && Uri.TryCreate(urlMatch.Value.TrimEnd('.', ',', ';'), UriKind.Absolute, out var url))
        {
            var source = await _archive.FindAsync(url, cancellationToken).ConfigureAwait(false);
            return source?.Path;
        }

        return null;
    }

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s*(References|Sources|Bibliography)\s*:?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReferencesHeading();

    [GeneratedRegex(@"\[(\d{1,4}(?:\s*,\s*\d{1,4})*)\](?!\()", RegexOptions.CultureInvariant)]
    private static partial Regex CitationGroup();

    [GeneratedRegex(@"^\s*(?:[-*]\s*)?(?:\[(?<n>\d{1,4})\]|(?<n>\d{1,4})\.)\s*(?<rest>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex ReferenceEntry();

    [GeneratedRegex(@"knowledge_base/sources/[^\s()\[\]<>""'`]+\.md", RegexOptions.CultureInvariant)]
    private static partial Regex SourcePath();

    [GeneratedRegex(@"https?://[^\s()<>""'`\]]+", RegexOptions.CultureInvariant)]
    private static partial Regex Url();
}
