using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Agents.Budget.Tests.DependencyInjection;

/// <summary>Issue 15 (API shape) item 1: the budget binds from configuration and registers as a validated singleton.</summary>
public sealed class BudgetServiceCollectionExtensionsTests
{
    private const string Json = """
        {
          "Budget": {
            "MaxCostUsd": 0.5,
            "MaxInputTokens": 200000,
            "MaxOutputTokens": 20000,
            "MaxDuration": "00:10:00",
            "FinalAnswerReserveTokens": 2000,
            "FinalAnswerReserveUsd": 0.01,
            "OnExhaustion": "FinalAnswerWithoutTools",
            "ToolLimits": { "search": 10, "browse": 5 },
            "Categories": [ "reading" ],
            "ToolMappings": [
              { "Pattern": "web_search", "Category": "search", "UnitsArgument": "queries" },
              { "Pattern": "web_*", "Category": "browse" }
            ],
            "Pricing": {
              "DefaultUnitPrice": 0.002,
              "UnitPrices": { "search": 0.005, "reading": 0 },
              "DefaultModelPrice": { "InputPerMillionTokens": 1, "OutputPerMillionTokens": 2 },
              "ModelPrices": { "gpt-4.1-mini": { "InputPerMillionTokens": 0.4, "OutputPerMillionTokens": 1.6, "CachedInputPerMillionTokens": 0.1 } }
            },
            "RegimeThresholds": { "High": 0.8, "Medium": 0.4, "Low": 0.2 }
          }
        }
        """;

    [Fact]
    public void AddBudgetTracker_BindsEveryKey_FromJson()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(Json))).Build();

        AssertBoundAsWritten(Resolve(configuration.GetSection("Budget")));
    }

    [Fact]
    public void AddBudgetTracker_BindsEveryKey_FromInMemoryConfiguration()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Budget:MaxCostUsd"] = "0.5",
            ["Budget:MaxInputTokens"] = "200000",
            ["Budget:MaxOutputTokens"] = "20000",
            ["Budget:MaxDuration"] = "00:10:00",
            ["Budget:FinalAnswerReserveTokens"] = "2000",
            ["Budget:FinalAnswerReserveUsd"] = "0.01",
            ["Budget:OnExhaustion"] = "finalanswerwithouttools",
            ["Budget:ToolLimits:search"] = "10",
            ["Budget:ToolLimits:browse"] = "5",
            ["Budget:Categories:0"] = "reading",
            ["Budget:ToolMappings:0:Pattern"] = "web_search",
            ["Budget:ToolMappings:0:Category"] = "search",
            ["Budget:ToolMappings:0:UnitsArgument"] = "queries",
            ["Budget:ToolMappings:1:Pattern"] = "web_*",
            ["Budget:ToolMappings:1:Category"] = "browse",
            ["Budget:Pricing:DefaultUnitPrice"] = "0.002",
            ["Budget:Pricing:UnitPrices:search"] = "0.005",
            ["Budget:Pricing:UnitPrices:reading"] = "0",
            ["Budget:Pricing:DefaultModelPrice:InputPerMillionTokens"] = "1",
            ["Budget:Pricing:DefaultModelPrice:OutputPerMillionTokens"] = "2",
            ["Budget:Pricing:ModelPrices:gpt-4.1-mini:InputPerMillionTokens"] = "0.4",
            ["Budget:Pricing:ModelPrices:gpt-4.1-mini:OutputPerMillionTokens"] = "1.6",
            ["Budget:Pricing:ModelPrices:gpt-4.1-mini:CachedInputPerMillionTokens"] = "0.1",
            ["Budget:RegimeThresholds:High"] = "0.8",
            ["Budget:RegimeThresholds:Medium"] = "0.4",
            ["Budget:RegimeThresholds:Low"] = "0.2",
        }).Build();

        AssertBoundAsWritten(Resolve(configuration.GetSection("Budget")));
    }

    [Theory]
    [InlineData("Budget:OnExhaustion", "Stop", "Budget:OnExhaustion")]
    [InlineData("Budget:ToolLimits:search", "-3", "ToolLimits:search")]
    [InlineData("Budget:MaxCostUsd", "-1", "MaxCostUsd")]
    [InlineData("Budget:MaxInputTokens", "many", "Budget:MaxInputTokens")]
    [InlineData("Budget:MaxCost", "1", "MaxCost")]
    [InlineData("Budget:Pricing:ModelPrices:m:InputPerMillionTokens", "-1", "Pricing:ModelPrices:m:InputPerMillionTokens")]
    public void AddBudgetTracker_BadConfiguration_ThrowsOptionsValidationException_NamingTheKey(string key, string value, string named)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Budget:ToolLimits:search"] = "10",
            [key] = value,
        }).Build();
        using ServiceProvider services = new ServiceCollection().AddBudgetTracker(configuration.GetSection("Budget")).BuildServiceProvider();

        OptionsValidationException ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<BudgetTracker>());

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
        Assert.Equal(typeof(BudgetOptions), ex.OptionsType);
        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
    }

    [Fact]
    public void AddBudgetTracker_WithDelegate_RegistersOneValidatedSingleton()
    {
        int configured = 0;
        using ServiceProvider services = new ServiceCollection()
            .AddBudgetTracker(o =>
            {
                configured++;
                o.SetToolLimit("search", 3).AddToolMapping("web_search", "search", "queries");
            })
            .AddBudgetTracker(o => o.MaxCostUsd = 1m)
            .BuildServiceProvider();

        BudgetTracker tracker = services.GetRequiredService<BudgetTracker>();

        Assert.Same(tracker, services.GetRequiredService<BudgetTracker>());
        Assert.Same(services.GetRequiredService<IOptions<BudgetOptions>>().Value, tracker.Options);
        Assert.Equal(1, configured);
        Assert.Equal(3, tracker.Options.ToolLimits["search"]);
        Assert.Equal(1m, tracker.Options.MaxCostUsd);

        using ServiceProvider bad = new ServiceCollection().AddBudgetTracker(o => o.SetToolLimit("search", 0)).BuildServiceProvider();
        OptionsValidationException ex = Assert.Throws<OptionsValidationException>(() => bad.GetRequiredService<BudgetTracker>());
        Assert.Contains("ToolLimits:search", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddBudgetTracker_RejectsNulls()
    {
        var services = new ServiceCollection();
        Assert.Throws<ArgumentNullException>(() => services.AddBudgetTracker((IConfiguration)null!));
        Assert.Throws<ArgumentNullException>(() => services.AddBudgetTracker((Action<BudgetOptions>)null!));
    }

    private static BudgetTracker Resolve(IConfiguration section)
    {
        using ServiceProvider services = new ServiceCollection().AddBudgetTracker(section).BuildServiceProvider();
        return services.GetRequiredService<BudgetTracker>();
    }

    private static void AssertBoundAsWritten(BudgetTracker tracker)
    {
        BudgetOptions o = tracker.Options;
        Assert.Equal(0.5m, o.MaxCostUsd);
        Assert.Equal(200_000, o.MaxInputTokens);
        Assert.Equal(20_000, o.MaxOutputTokens);
        Assert.Equal(TimeSpan.FromMinutes(10), o.MaxDuration);
        Assert.Equal(2000, o.FinalAnswerReserveTokens);
        Assert.Equal(0.01m, o.FinalAnswerReserveUsd);
        Assert.Equal(ExhaustionBehavior.FinalAnswerWithoutTools, o.OnExhaustion);
        Assert.Equal(10, o.ToolLimits["Search"]);
        Assert.Equal(5, o.ToolLimits["browse"]);
        Assert.Equal(["reading"], o.Categories);
        Assert.Equal(["web_search", "web_*"], o.ToolMappings.Select(m => m.Pattern));

        // The first mapping wins and counts units from its argument; the second catches the other web tools.
        Assert.Equal(("search", "queries"), (tracker.ResolveCategory("web", "search", null), o.ToolMappings[0].UnitsArgument));
        Assert.Equal("browse", tracker.ResolveCategory(null, "web_fetch", null));

        Assert.Equal(0.002m, o.Pricing.DefaultUnitPrice);
        Assert.Equal(0.005m, o.Pricing.GetUnitPrice("search"));
        Assert.Equal(0m, o.Pricing.GetUnitPrice("reading"));
        Assert.Equal(new BudgetModelPrice(1m, 2m, 1m), o.Pricing.DefaultModelPrice);
        Assert.Equal(new BudgetModelPrice(0.4m, 1.6m, 0.1m), o.Pricing.GetModelPrice("gpt-4.1-mini"));
        Assert.Equal((0.8, 0.4, 0.2), (o.RegimeThresholds.High, o.RegimeThresholds.Medium, o.RegimeThresholds.Low));
        Assert.Contains(tracker.GetSnapshot().Categories, c => c.Name == "search" && c.Limit == 10);
    }
}
