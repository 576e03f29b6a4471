namespace Agents.Samples.OfflineWeb.Generation;

/// <summary>
/// Generates a deterministic offline web: invented entities with attributes and relations, one linked HTML
/// page per entity, and BrowseComp-style multi-hop questions (2–4 hops plus verification constraints) whose
/// answers are unique in the corpus.
/// </summary>
public sealed class OfflineWebGenerator
{
    private static readonly string[] Occupations = ["engineer", "painter", "chemist", "architect", "composer", "economist", "physician", "novelist", "astronomer", "sculptor"];
    private static readonly string[] Industries = ["textiles", "shipbuilding", "software", "pharmaceuticals", "mining", "aviation", "publishing", "agriculture", "glassmaking", "railways"];
    private static readonly string[] Currencies = ["crown", "mark", "florin", "dinar", "thaler", "ducat", "real", "lira"];
    private static readonly string[] CompanySuffixes = ["Works", "Holdings", "Group", "Industries", "Company", "Collective", "Foundry", "Partners"];
    private static readonly string[] CountrySuffixes = ["ia", "land", "mar", "istan", "ora"];

    private readonly OfflineWebOptions _options;

    /// <summary>Creates a generator.</summary>
    /// <param name="options">Sizes and seed; validated here.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public OfflineWebGenerator(OfflineWebOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>Generates the corpus. The same options always give the same corpus.</summary>
    /// <exception cref="InvalidOperationException">The requested number of unique questions cannot be made from a web this small.</exception>
    public OfflineCorpus Generate()
    {
        var random = new SeededRandom(_options.Seed);
        var names = new NameGenerator(random);
        var entities = GenerateEntities(random, names);
        var byId = entities.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var graph = new RelationGraph(entities);
        var questions = GenerateQuestions(random, entities, byId, graph);
        var pages = entities.Select(e => PageRenderer.Render(e, byId, graph, baseAddress: null, _options.PageSizeFactor)).ToList();
        return new OfflineCorpus(_options.Seed, entities, pages, questions) { PageSizeFactor = _options.PageSizeFactor };
    }

    private List<WebEntity> GenerateEntities(SeededRandom random, NameGenerator names)
    {
        var all = new List<WebEntity>();
        var countries = new List<string>();
        var rivers = new List<string>();
        var cities = new List<string>();
        var people = new List<(string Id, int BirthYear)>();

        for (int i = 0; i < _options.Countries; i++)
        {
            string name = names.Unique(() => names.Word(2, 2) + random.Pick(CountrySuffixes));
            countries.Add(Add(all, EntityKind.Country, name, new()
            {
                [AttributeNames.Independence] = Num(random.Next(1800, 1991)),
                [AttributeNames.PopulationMillions] = Num(random.Next(1, 91)),
                [AttributeNames.Currency] = random.Pick(Currencies),
            }, []));
        }

        for (int i = 0; i < _options.Rivers; i++)
        {
            string name = names.Unique(() => names.Word() + " River");
            rivers.Add(Add(all, EntityKind.River, name, new()
            {
                [AttributeNames.LengthKm] = Num(random.Next(40, 2900)),
            }, [new(RelationNames.RisesIn, random.Pick(countries))]));
        }

        for (int i = 0; i < _options.Cities; i++)
        {
            string name = names.Unique(() => names.Word());
            var relations = new List<EntityRelation> { new(RelationNames.InCountry, random.Pick(countries)) };
            if (random.Chance(0.75))
            {
                relations.Add(new(RelationNames.OnRiver, random.Pick(rivers)));
            }

            cities.Add(Add(all, EntityKind.City, name, new()
            {
                [AttributeNames.Founded] = Num(random.Next(700, 1900)),
                [AttributeNames.Population] = Num(random.Next(5, 3000) * 1000),
            }, relations));
        }

        // Companies are created before people (people work for them) and get their founders afterwards.
        var companyDrafts = new List<(string Name, Dictionary<string, string> Attributes, string City)>();
        for (int i = 0; i < _options.Companies; i++)
        {
            string name = names.Unique(() => names.Word(2, 2) + " " + random.Pick(CompanySuffixes));
            companyDrafts.Add((name, new()
            {
                [AttributeNames.Founded] = Num(random.Next(1850, 2016)),
                [AttributeNames.Industry] = random.Pick(Industries),
                [AttributeNames.Employees] = Num(random.Next(2, 900) * 100),
            }, random.Pick(cities)));
        }

        var companyIds = companyDrafts.Select(c => NameGenerator.Slug(c.Name)).ToList();
        for (int i = 0; i < _options.People; i++)
        {
            string name = names.Unique(() => names.Word(1, 2) + " " + names.Word(2, 3));
            int birthYear = random.Next(1830, 2000);
            var relations = new List<EntityRelation> { new(RelationNames.BornIn, random.Pick(cities)) };
            if (random.Chance(0.8))
            {
                relations.Add(new(RelationNames.WorksFor, random.Pick(companyIds)));
            }

            people.Add((Add(all, EntityKind.Person, name, new()
            {
                [AttributeNames.BirthYear] = Num(birthYear),
                [AttributeNames.Occupation] = random.Pick(Occupations),
            }, relations), birthYear));
        }

        foreach (var draft in companyDrafts)
        {
            int founded = int.Parse(draft.Attributes[AttributeNames.Founded], CultureInfo.InvariantCulture);
            var eligible = people.Where(p => p.BirthYear + 18 <= founded && p.BirthYear + 80 >= founded).ToList();
            string founder = eligible.Count > 0 ? random.Pick(eligible).Id : random.Pick(people).Id;
            Add(all, EntityKind.Company, draft.Name, draft.Attributes,
                [new(RelationNames.FoundedBy, founder), new(RelationNames.HeadquarteredIn, draft.City)]);
        }

        return all;
    }

    private static string Add(List<WebEntity> all, EntityKind kind, string name, Dictionary<string, string> attributes, List<EntityRelation> relations)
    {
        string id = NameGenerator.Slug(name);
        all.Add(new WebEntity(id, kind, name, attributes, relations));
        return id;
    }

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    private List<MultiHopQuestion> GenerateQuestions(SeededRandom random, List<WebEntity> entities, Dictionary<string, WebEntity> byId, RelationGraph graph)
    {
        var questions = new List<MultiHopQuestion>();
        var texts = new HashSet<string>(StringComparer.Ordinal);
        const int maxFailuresInARow = 5000;
        for (int failures = 0; questions.Count < _options.Questions;)
        {
            if (failures >= maxFailuresInARow)
            {
                throw new InvalidOperationException(
                    $"Could only make {questions.Count} of {_options.Questions} unique questions from this web; add entities (OfflineWebOptions) or ask for fewer questions.");
            }

            int hops = random.Next(_options.MinHops, _options.MaxHops + 1);
            var question = TryMakeQuestion(random, entities, byId, graph, hops, $"q{questions.Count + 1:D4}");
            if (question is not null && texts.Add(question.Question))
            {
                questions.Add(question);
                failures = 0;
            }
            else
            {
                failures++;
            }
        }

        return questions;
    }

    private static MultiHopQuestion? TryMakeQuestion(SeededRandom random, List<WebEntity> entities, Dictionary<string, WebEntity> byId, RelationGraph graph, int hops, string id)
    {
        // 1. A random walk of exactly `hops` steps without revisiting an entity.
        var anchor = random.Pick(entities);
        var path = new List<string> { anchor.Id };
        var steps = new List<RelationStep>();
        var current = anchor.Id;
        for (int i = 0; i < hops; i++)
        {
            var options = graph.StepsFrom(current).Where(s => !path.Contains(s.NeighborId)).ToList();
            if (options.Count == 0)
            {
                return null;
            }

            var step = random.Pick(options);
            steps.Add(step);
            path.Add(step.NeighborId);
            current = step.NeighborId;
        }

        // 2. Follow the same relation chain with set semantics from the anchor: every entity the description fits.
        var candidates = new HashSet<string>(StringComparer.Ordinal) { anchor.Id };
        string description = anchor.Kind == EntityKind.River ? "the " + anchor.Name : anchor.Name;
        foreach (var step in steps)
        {
            candidates = graph.Follow(candidates, step.Relation, step.Forward);
            description = RelationPhrases.Describe(step.Relation, step.Forward, description);
        }

        var target = byId[current];
        if (!candidates.Contains(target.Id))
        {
            return null;
        }

        // 3. Verification constraints on the target until it is the only candidate left (at least 1, at most 3).
        var specs = AttributeSpec.For(target.Kind).ToList();
        random.Shuffle(specs);
        var constraints = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            if (constraints.Count > 0 && candidates.Count == 1)
            {
                break;
            }

            if (constraints.Count == 3)
            {
                break;
            }

            var (text, holds) = spec.MakeConstraint(target.Attributes[spec.Name], random);
            candidates = candidates.Where(c => holds(byId[c].Attributes[spec.Name])).ToHashSet(StringComparer.Ordinal);
            constraints.Add(text);
            used.Add(spec.Name);
        }

        if (candidates.Count != 1)
        {
            return null;
        }

        // 4. Ask for the name or for an attribute not used by the constraints.
        var unused = specs.Where(s => !used.Contains(s.Name)).ToList();
        string noun = RelationPhrases.Noun(target.Kind);
        string clues = string.Join("; ", constraints.Select(c => $"the {noun} {c}"));
        string text1 = $"I am looking for {description}. Clues: {clues}.";
        string questionText;
        string answer;
        if (unused.Count > 0 && random.Chance(0.4))
        {
            var ask = random.Pick(unused);
            questionText = $"{text1} What is the {ask.Label} of this {noun}?";
            answer = target.Attributes[ask.Name];
        }
        else
        {
            questionText = $"{text1} What is the name of this {noun}?";
            answer = target.Name;
        }

        return new MultiHopQuestion(id, questionText, answer, hops, path, constraints);
    }
}
