using Agents.Planners.ReAct;

namespace Agents.Hosting.Tests.Agents;

public sealed class ResearchAgentFactoryTests : IDisposable
{
    private readonly string _docs = Directory.CreateTempSubdirectory("hosting-agent-").FullName;

    public void Dispose() => Directory.Delete(_docs, recursive: true);

    private IConfiguration Configuration(params (string Key, string Value)[] agent) =>
        new ConfigurationBuilder().AddInMemoryCollection(agent.Select(a => KeyValuePair.Create("Agent:" + a.Key, (string?)a.Value)).Concat(
        [
            KeyValuePair.Create("Model:Provider", (string?)"openai"),
            KeyValuePair.Create("Model:Endpoint", (string?)"http://127.0.0.1:9/v1"),
            KeyValuePair.Create("Model:ModelId", (string?)"m"),
            KeyValuePair.Create("Research:DocumentsFolder", (string?)_docs),
        ])).Build();

    [Fact]
    public async Task The_Agent_section_picks_the_strategy_and_the_budget_of_each_run()
    {
        var configuration = Configuration(("Strategy", "React-Budget"), ("Budget:SearchUnits", "3"), ("Budget:MaxCostUsd", "0.5"));
        await using var services = new ServiceCollection()
            .AddResearchModel(configuration.GetSection("Model"))
            .AddResearchTools(configuration.GetSection("Research"))
            .AddResearchAgent(configuration.GetSection("Agent"))
            .BuildServiceProvider();
        var factory = services.GetRequiredService<ResearchAgentFactory>();

        Assert.Equal("react+budget", factory.Strategy);
        var tracker = factory.CreateTracker();
        var snapshot = tracker.GetSnapshot();
        Assert.Contains(snapshot.Categories, c => c.Name == "search" && c.Limit == 3);
        Assert.Contains(snapshot.Categories, c => c.Name == "browse" && c.Limit is null);
        Assert.Equal("search", tracker.ResolveCategory(null, ResearchToolset.SearchToolName));
        Assert.IsType<ReActAgent>(factory.Create(tracker));
        Assert.NotSame(factory.CreateTracker(), factory.CreateTracker());
    }

    [Theory]
    [InlineData("Strategy", "tree-of-thought", "Agent:Strategy 'tree-of-thought' is unknown")]
    [InlineData("Budget:SearchUnits", "0", "Agent")]
    public void Bad_options_throw_OptionsValidationException_naming_the_option(string key, string value, string expected)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new ServiceCollection().AddResearchAgent(Configuration((key, value)).GetSection("Agent")));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_strategy_name_makes_an_agent()
    {
        var tracker = new global::Agents.Budget.BudgetTracker(new ResearchBudgetOptions { SearchUnits = 1 }.ToBudgetOptions());
        using var chat = new ChatClientBuilder(new OpenAI.OpenAIClient(new System.ClientModel.ApiKeyCredential("k"), new OpenAI.OpenAIClientOptions { Endpoint = new Uri("http://127.0.0.1:9/v1") }).GetChatClient("m").AsIChatClient()).Build();
        foreach (var name in ResearchAgents.Strategies)
        {
            Assert.NotNull(ResearchAgents.Create(name, chat, [], tracker));
        }

        Assert.Throws<ArgumentException>(() => { ResearchAgents.Create("nope", chat, [], tracker); });
    }
}
