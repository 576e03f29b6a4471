using Agents.Budget.Tests.Fakes;

namespace Agents.AgentFramework.Tests.Budget;

/// <summary>The randomized no-overrun property of the tracker, through the agent middleware path.</summary>
public sealed class BudgetAgentPropertyTests
{
    [Fact]
    public async Task RandomAgentRuns_ThroughTheMiddleware_NeverOverspend_AndCountExactlyTheUnitsThatRan()
    {
        var master = new Random(20261207);
        int pauses = 0;
        for (int scenario = 0; scenario < 150; scenario++)
        {
            int seed = master.Next();
            var random = new Random(seed);
            long limit = random.Next(1, 20);
            var tracker = new BudgetTracker(new BudgetOptions
            {
                OnExhaustion = random.Next(2) == 0 ? ExhaustionBehavior.Terminate : ExhaustionBehavior.FinalAnswerWithoutTools,
            }.SetToolLimit("search", limit));
            long ran = 0;
            AIFunction search = AIFunctionFactory.Create(
                [BudgetCategory("search", UnitsArgument = "queries")] async (string[] queries, CancellationToken ct) =>
                {
                    await Task.Yield();
                    if (queries[0].EndsWith("fail", StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException("tool failed");
                    }

                    Interlocked.Add(ref ran, queries.Length);
                    return "ok";
                },
                "search");
            int turns = random.Next(1, 8);
            var model = new ScriptedChatClient((messages, options, turn) =>
            {
                if (turn >= turns || options?.Tools is not { Count: > 0 })
                {
                    return Script.Answer("done", 5, 5);
                }

                lock (random)
                {
                    ChatResponse calls = Script.ToolCalls("search", random.Next(1, 4), random.Next(1, 5), 10, 2, turn);
                    if (random.Next(5) == 0)
                    {
                        var first = (FunctionCallContent)calls.Messages[0].Contents[0];
                        first.Arguments!["queries"] = new[] { "will-fail" };
                    }

                    return calls;
                }
            });
            int? ask = random.Next(3) == 0 ? random.Next(1, 6) : null;
            AIAgent agent = model.AsAIAgent(instructions: "x", tools: [search]).AsBuilder().UseBudgetTracker(tracker, o => o.AskForMoreUnits = ask).Build();
            AgentSession session = await agent.CreateSessionAsync();
            long granted = 0;
            long offered = 0;
            ChatMessage next = new(ChatRole.User, "go");
            for (int run = random.Next(1, 5); run > 0; run--)
            {
                AgentResponse? response = null;
                try
                {
                    response = random.Next(2) == 0
                        ? await agent.RunAsync(next, session)
                        : await agent.RunStreamingAsync(next, session).ToAgentResponseAsync();
                }
                catch (BudgetExhaustedException)
                {
                }

                granted += offered;
                offered = 0;
                next = new ChatMessage(ChatRole.User, "go");
                if (response?.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().FirstOrDefault() is { } request)
                {
                    pauses++;
                    bool approve = random.Next(3) > 0;
                    offered = approve ? ask!.Value : 0;
                    next = new ChatMessage(ChatRole.User, [request.CreateResponse(approve)]);
                }
            }

            BudgetCategorySnapshot s = tracker.GetSnapshot().GetCategory("search")!;
            Assert.Equal(limit + granted, s.Limit);
            Assert.True(s.Used <= s.Limit, $"seed {seed}: used {s.Used} > limit {s.Limit}");
            Assert.True(ran == s.Used, $"seed {seed}: used {s.Used} but {ran} units ran");
            Assert.Equal(0, s.InFlight);
        }

        Assert.True(pauses > 10, $"only {pauses} runs paused to ask");
    }
}
