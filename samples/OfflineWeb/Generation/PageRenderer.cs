using System.Net;

namespace Agents.Samples.OfflineWeb.Generation;

/// <summary>Renders an entity as an HTML page with an infobox, prose with links, and a "See also" list of backlinks.</summary>
internal static class PageRenderer
{
    public static string PathOf(string entityId) => "/wiki/" + entityId;

    /// <summary>Renders the page; with <paramref name="sizeFactor"/> above 1, neutral archive prose makes its text about that many times as long.</summary>
    public static WebPage Render(WebEntity entity, IReadOnlyDictionary<string, WebEntity> byId, RelationGraph graph, Uri? baseAddress, int sizeFactor = 1)
    {
        WebPage page = Render(entity, byId, graph, baseAddress, filler: null);
        return sizeFactor <= 1
            ? page
            : Render(entity, byId, graph, baseAddress, ArchiveProse.Paragraphs(entity.Id, (sizeFactor - 1) * page.Text.Length));
    }

    private static WebPage Render(WebEntity entity, IReadOnlyDictionary<string, WebEntity> byId, RelationGraph graph, Uri? baseAddress, IReadOnlyList<string>? filler)
    {
        var doc = new DocBuilder(byId, baseAddress) { Filler = filler };
        string Attr(string name) => entity.Attributes[name];
        string? Rel(string name) => entity.Relations.FirstOrDefault(r => r.Name == name)?.TargetId;
        List<string> Back(string relation) => graph.StepsFrom(entity.Id).Where(s => !s.Forward && s.Relation == relation).Select(s => s.NeighborId).ToList();

        doc.Paragraph();
        switch (entity.Kind)
        {
            case EntityKind.Person:
                doc.Text($"{entity.Name} is {Article(Attr(AttributeNames.Occupation))} {Attr(AttributeNames.Occupation)} born in {Attr(AttributeNames.BirthYear)} in ").Link(Rel(RelationNames.BornIn)!).Text(".");
                if (Rel(RelationNames.WorksFor) is { } employer)
                {
                    doc.Text($" {entity.Name} works for ").Link(employer).Text(".");
                }

                doc.Infobox(entity, [(AttributeNames.Occupation, "Occupation"), (AttributeNames.BirthYear, "Born")]);
                doc.SeeAlso("Companies founded", Back(RelationNames.FoundedBy));
                break;
            case EntityKind.City:
                doc.Text($"{entity.Name} is a city in ").Link(Rel(RelationNames.InCountry)!).Text($", founded in {Attr(AttributeNames.Founded)}.");
                if (Rel(RelationNames.OnRiver) is { } river)
                {
                    doc.Text(" It lies on the ").Link(river).Text(".");
                }

                doc.Text($" Its population is {Attr(AttributeNames.Population)}.");
                doc.Infobox(entity, [(AttributeNames.Founded, "Founded"), (AttributeNames.Population, "Population")]);
                doc.SeeAlso("People born here", Back(RelationNames.BornIn));
                doc.SeeAlso("Companies headquartered here", Back(RelationNames.HeadquarteredIn));
                break;
            case EntityKind.Company:
                doc.Text($"{entity.Name} is {Article(Attr(AttributeNames.Industry))} {Attr(AttributeNames.Industry)} company founded in {Attr(AttributeNames.Founded)} by ")
                    .Link(Rel(RelationNames.FoundedBy)!).Text(". It has its headquarters in ").Link(Rel(RelationNames.HeadquarteredIn)!)
                    .Text($" and employs {Attr(AttributeNames.Employees)} people.");
                doc.Infobox(entity, [(AttributeNames.Industry, "Industry"), (AttributeNames.Founded, "Founded"), (AttributeNames.Employees, "Employees")]);
                doc.SeeAlso("People who work here", Back(RelationNames.WorksFor));
                break;
            case EntityKind.Country:
                doc.Text($"{entity.Name} is a country that became independent in {Attr(AttributeNames.Independence)}. It has a population of {Attr(AttributeNames.PopulationMillions)} million, and its currency is the {Attr(AttributeNames.Currency)}.");
                doc.Infobox(entity, [(AttributeNames.Independence, "Independence"), (AttributeNames.PopulationMillions, "Population (millions)"), (AttributeNames.Currency, "Currency")]);
                doc.SeeAlso("Cities", Back(RelationNames.InCountry));
                doc.SeeAlso("Rivers rising here", Back(RelationNames.RisesIn));
                break;
            case EntityKind.River:
                doc.Text($"The {entity.Name} is {Attr(AttributeNames.LengthKm)} km long and rises in ").Link(Rel(RelationNames.RisesIn)!).Text(".");
                doc.Infobox(entity, [(AttributeNames.LengthKm, "Length (km)")]);
                doc.SeeAlso("Cities on the river", Back(RelationNames.OnRiver));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(entity), entity.Kind, "Unknown entity kind.");
        }

        string path = PathOf(entity.Id);
        return new WebPage(entity.Id, path, entity.Name, doc.Html(entity.Name, path), doc.PlainText(entity.Name));
    }

    private static string Article(string word) => "aeiou".Contains(word[0], StringComparison.Ordinal) ? "an" : "a";

    /// <summary>Builds the HTML and the plain text of a page side by side.</summary>
    private sealed class DocBuilder(IReadOnlyDictionary<string, WebEntity> byId, Uri? baseAddress)
    {
        private readonly StringBuilder _html = new();
        private readonly StringBuilder _text = new();
        private bool _inParagraph;

        /// <summary>Paragraphs written before the infobox, after the lead paragraph; none when null.</summary>
        public IReadOnlyList<string>? Filler { get; init; }

        public DocBuilder Paragraph()
        {
            Close();
            _html.Append("<p>");
            _inParagraph = true;
            return this;
        }

        public DocBuilder Text(string text)
        {
            _html.Append(WebUtility.HtmlEncode(text));
            _text.Append(text);
            return this;
        }

        public DocBuilder Link(string entityId)
        {
            var target = byId[entityId];
            _html.Append("<a href=\"").Append(WebUtility.HtmlEncode(Href(entityId))).Append("\">")
                .Append(WebUtility.HtmlEncode(target.Name)).Append("</a>");
            _text.Append(target.Name);
            return this;
        }

        public void Infobox(WebEntity entity, (string Name, string Label)[] rows)
        {
            Close();
            foreach (string paragraph in Filler ?? [])
            {
                Paragraph().Text(paragraph);
                Close();
            }

            _html.Append("<table class=\"infobox\"><caption>").Append(WebUtility.HtmlEncode(entity.Name)).Append("</caption>");
            _text.Append('\n');
            foreach (var (name, label) in rows)
            {
                string value = entity.Attributes[name];
                _html.Append("<tr><th>").Append(WebUtility.HtmlEncode(label)).Append("</th><td>").Append(WebUtility.HtmlEncode(value)).Append("</td></tr>");
                _text.Append(label).Append(": ").Append(value).Append('\n');
            }

            _html.Append("</table>");
        }

        public void SeeAlso(string heading, List<string> ids)
        {
            if (ids.Count == 0)
            {
                return;
            }

            Close();
            _html.Append("<h2>").Append(WebUtility.HtmlEncode(heading)).Append("</h2><ul>");
            _text.Append(heading).Append(": ");
            for (int i = 0; i < ids.Count; i++)
            {
                _html.Append("<li>");
                Link(ids[i]);
                _html.Append("</li>");
                if (i < ids.Count - 1)
                {
                    _text.Append(", ");
                }
            }

            _html.Append("</ul>");
            _text.Append('\n');
        }

        public string Html(string title, string path)
        {
            Close();
            var sb = new StringBuilder();
            sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .Append(WebUtility.HtmlEncode(title)).Append(" - Offline Encyclopedia</title>");
            if (baseAddress is not null)
            {
                sb.Append("<link rel=\"canonical\" href=\"").Append(WebUtility.HtmlEncode(new Uri(baseAddress, path).AbsoluteUri)).Append("\">");
            }

            sb.Append("</head>\n<body><nav><a href=\"").Append(WebUtility.HtmlEncode(Href(null))).Append("\">Offline Encyclopedia</a></nav>\n<main><article><h1>")
                .Append(WebUtility.HtmlEncode(title)).Append("</h1>\n").Append(_html).Append("\n</article></main></body></html>\n");
            return sb.ToString();
        }

        public string PlainText(string title) => title + "\n" + _text.ToString().Trim() + "\n";

        private string Href(string? entityId)
        {
            string path = entityId is null ? "/" : PathOf(entityId);
            return baseAddress is null ? path : new Uri(baseAddress, path).AbsoluteUri;
        }

        private void Close()
        {
            if (_inParagraph)
            {
                _html.Append("</p>\n");
                _text.Append('\n');
                _inParagraph = false;
            }
        }
    }
}
