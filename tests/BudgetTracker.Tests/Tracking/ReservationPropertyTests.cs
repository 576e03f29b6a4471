namespace Agents.Budget.Tests.Tracking;

/// <summary>Randomized checks of the atomic reservation: never overspend, never lose a unit.</summary>
public sealed class ReservationPropertyTests
{
    private static readonly string[] Categories = ["search", "browse", "read"];

    [Fact]
    public void RandomConcurrentReservations_NeverOverspend_AndCountExactlyTheExecutedUnits()
    {
        const int scenarios = 10_000;
        var master = new Random(20251123);
        for (int scenario = 0; scenario < scenarios; scenario++)
        {
            int seed = master.Next();
            RunScenario(seed);
        }
    }

    [Fact]
    public async Task RandomInvocations_WithFailuresAndCancellation_CountOnlyCallsThatRan()
    {
        var master = new Random(77);
        for (int scenario = 0; scenario < 500; scenario++)
        {
            int seed = master.Next();
            var random = new Random(seed);
            long limit = random.Next(1, 25);
            var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", limit));
            long ran = 0;
            AIFunction search = AIFunctionFactory.Create(
                [BudgetCategory("search", UnitsArgument = "queries")] async (string[] queries, CancellationToken ct) =>
                {
                    await Task.Yield();
                    ct.ThrowIfCancellationRequested();
                    if (queries[0] == "fail")
                    {
                        throw new InvalidOperationException("tool failed");
                    }

                    Interlocked.Add(ref ran, queries.Length);
                    return "ok";
                },
                "search");

            var tasks = new List<Task>();
            int calls = random.Next(1, 12);
            for (int i = 0; i < calls; i++)
            {
                int units = random.Next(1, 6);
                int outcome = random.Next(4); // 0,1 run; 2 throws; 3 cancelled
                string[] queries = Enumerable.Repeat(outcome == 2 ? "fail" : "q", units).ToArray();
                var token = new CancellationToken(outcome == 3);
                tasks.Add(Task.Run(async () =>
                {
                    try
                    {
                        await tracker.InvokeToolAsync(search, new AIFunctionArguments { ["queries"] = queries }, token);
                    }
                    catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
                    {
                    }
                }));
            }

            await Task.WhenAll(tasks);
            BudgetCategorySnapshot s = tracker.GetSnapshot().GetCategory("search")!;
            Assert.True(s.Used <= limit, $"seed {seed}: used {s.Used} > limit {limit}");
            Assert.True(ran == s.Used, $"seed {seed}: used {s.Used} but {ran} units ran");
            Assert.Equal(0, s.InFlight);
        }
    }

    [Fact]
    public async Task RandomConcurrentModelAndToolCalls_NeverOvershootTokensOrMoney()
    {
        var master = new Random(1414);
        for (int scenario = 0; scenario < 200; scenario++)
        {
            int seed = master.Next();
            var random = new Random(seed);
            var options = new BudgetOptions
            {
                MaxInputTokens = random.Next(100, 1500),
                MaxOutputTokens = random.Next(20, 800),
                MaxCostUsd = random.Next(1, 40) / 1000m,
                FinalAnswerReserveTokens = random.Next(2) * random.Next(1, 15),
                OnExhaustion = random.Next(2) == 0 ? ExhaustionBehavior.Terminate : ExhaustionBehavior.FinalAnswerWithoutTools,
            }.SetToolLimit("search", random.Next(1, 20));
            options.Pricing.SetModelPrice("m", random.Next(0, 6), random.Next(1, 40), cachedInputPerMTok: 0.5m);
            options.Pricing.SetUnitPrice("search", random.Next(0, 20) / 10_000m);
            var tracker = new BudgetTracker(options);
            var gate = new Lock();
            int Next(int min, int max)
            {
                lock (gate)
                {
                    return random.Next(min, max);
                }
            }

            // An exact tokenizer: 20 tokens a message plus 10 per tool; the model reports at most that and never more
            // output than its cap (up to 400 when uncapped), and fails now and then.
            Func<IReadOnlyList<ChatMessage>, ChatOptions?, long> counter = (messages, o) => (20L * messages.Count) + (10L * (o?.Tools?.Count ?? 0));
            var model = new ScriptedChatClient((messages, o, _) =>
            {
                if (Next(0, 6) == 0)
                {
                    throw new InvalidOperationException("server error");
                }

                int input = (int)counter(messages, o) - Next(0, 10);
                int cached = Next(0, input + 1);
                int output = Next(0, (o?.MaxOutputTokens ?? 400) + 1);
                return new ChatResponse(new ChatMessage(ChatRole.Assistant, "a"))
                {
                    ModelId = "m",
                    Usage = new UsageDetails { InputTokenCount = input, CachedInputTokenCount = cached, OutputTokenCount = output },
                };
            });
            IChatClient client = new ChatClientBuilder(model).UseBudgetTracker(tracker, o => o.PromptTokenCounter = counter).Build();
            long ranUnits = 0;
            int violations = 0;
            void Observe()
            {
                BudgetSnapshot now = tracker.GetSnapshot();
                if (now.InputTokens > options.MaxInputTokens || now.OutputTokens > options.MaxOutputTokens || now.CostUsd > options.MaxCostUsd)
                {
                    Interlocked.Increment(ref violations);
                }
            }

            var tasks = new List<Task>();
            int operations = random.Next(4, 24);
            for (int i = 0; i < operations; i++)
            {
                int kind = random.Next(4);
                int size = random.Next(1, 5);
                int? maxOutput = random.Next(3) == 0 ? random.Next(1, 300) : null;
                tasks.Add(Task.Run(async () =>
                {
                    try
                    {
                        List<ChatMessage> messages = Enumerable.Range(0, size).Select(m => new ChatMessage(ChatRole.User, $"m{m}")).ToList();
                        var chatOptions = new ChatOptions { ModelId = "m", MaxOutputTokens = maxOutput };
                        switch (kind)
                        {
                            case 0:
                                await client.GetResponseAsync(messages, chatOptions);
                                break;
                            case 1:
                                await client.GetStreamingResponseAsync(messages, chatOptions).ToChatResponseAsync();
                                break;
                            default:
                                using (BudgetReservation reservation = tracker.TryReserve("search", size))
                                {
                                    await Task.Yield();
                                    if (reservation.Granted && kind == 2)
                                    {
                                        reservation.Commit();
                                        Interlocked.Add(ref ranUnits, size);
                                    }
                                }

                                break;
                        }
                    }
                    catch (Exception ex) when (ex is BudgetExhaustedException or InvalidOperationException)
                    {
                    }

                    Observe();
                }));
            }

            await Task.WhenAll(tasks);
            BudgetSnapshot final = tracker.GetSnapshot();
            Assert.True(violations == 0, $"seed {seed}: {violations} observations over a limit");
            Assert.True(final.InputTokens <= options.MaxInputTokens, $"seed {seed}: input {final.InputTokens} > {options.MaxInputTokens}");
            Assert.True(final.OutputTokens <= options.MaxOutputTokens, $"seed {seed}: output {final.OutputTokens} > {options.MaxOutputTokens}");
            Assert.True(final.CostUsd <= options.MaxCostUsd, $"seed {seed}: cost {final.CostUsd} > {options.MaxCostUsd}");
            Assert.Equal(ranUnits, final.GetCategory("search")!.Used);
            Assert.Equal(0, final.GetCategory("search")!.InFlight);

        }
    }

    [Fact]
    public async Task RandomParentsAndChildren_Concurrent_NeverOvershootAtAnyLevel()
    {
        var master = new Random(614);
        for (int scenario = 0; scenario < 300; scenario++)
        {
            int seed = master.Next();
            var random = new Random(seed);
            BudgetOptions Limits() => new BudgetOptions
            {
                MaxInputTokens = random.Next(3) == 0 ? null : random.Next(50, 600),
                MaxOutputTokens = random.Next(3) == 0 ? null : random.Next(20, 300),
                MaxCostUsd = random.Next(3) == 0 ? null : random.Next(1, 30) / 1000m,
            }.SetToolLimit("search", random.Next(1, 25));
            BudgetOptions rootOptions = Limits();
            rootOptions.Pricing.SetDefaultModelPrice(random.Next(0, 6), random.Next(1, 40));
            rootOptions.Pricing.SetUnitPrice("search", random.Next(0, 20) / 10_000m);
            var root = new BudgetTracker(rootOptions);
            var trackers = new List<BudgetTracker> { root };
            int children = random.Next(1, 5);
            for (int c = 0; c < children; c++)
            {
                // Children of the root, and now and then a grandchild.
                BudgetTracker parent = random.Next(4) == 0 ? trackers[random.Next(trackers.Count)] : root;
                trackers.Add(parent.CreateChild(Limits()));
            }

            var plan = Enumerable.Range(0, random.Next(4, 40))
                .Select(_ => (Tracker: random.Next(trackers.Count), Kind: random.Next(4), Size: random.Next(1, 120), Actual: random.NextDouble(), Capped: random.Next(2) == 0))
                .ToArray();
            int violations = 0;
            var directOutput = new long[trackers.Count];
            var directUnits = new long[trackers.Count];
            await Task.WhenAll(plan.Select(step => Task.Run(async () =>
            {
                BudgetTracker tracker = trackers[step.Tracker];
                if (step.Kind < 2)
                {
                    using BudgetModelReservation call = tracker.TryReserveModelCall(step.Size, step.Capped ? step.Size : null, null);
                    await Task.Yield();
                    if (call.Granted && step.Kind == 0)
                    {
                        long output = (long)(call.ReservedOutputTokens * step.Actual);
                        call.Commit(new UsageDetails { InputTokenCount = (long)(step.Size * step.Actual), OutputTokenCount = output });
                        Interlocked.Add(ref directOutput[step.Tracker], output);
                    }
                }
                else
                {
                    using BudgetReservation units = tracker.TryReserve("search", 1 + (step.Size % 6));
                    await Task.Yield();
                    if (units.Granted && step.Kind == 2)
                    {
                        units.Commit();
                        Interlocked.Add(ref directUnits[step.Tracker], units.Units);
                    }
                }

                foreach (BudgetTracker t in trackers)
                {
                    if (Over(t))
                    {
                        Interlocked.Increment(ref violations);
                    }
                }
            })));

            Assert.True(violations == 0, $"seed {seed}: {violations} observations over a limit");
            foreach (BudgetTracker t in trackers)
            {
                Assert.False(Over(t), $"seed {seed}: over a limit");
                Assert.Equal(0, t.GetSnapshot().GetCategory("search")!.InFlight);
            }

            // Every tracker counts exactly its own spend plus all its descendants'.
            var expectedOutput = new long[trackers.Count];
            var expectedUnits = new long[trackers.Count];
            for (int j = 0; j < trackers.Count; j++)
            {
                for (BudgetTracker? t = trackers[j]; t is not null; t = t.Parent)
                {
                    expectedOutput[trackers.IndexOf(t)] += directOutput[j];
                    expectedUnits[trackers.IndexOf(t)] += directUnits[j];
                }
            }

            for (int j = 0; j < trackers.Count; j++)
            {
                Assert.True(expectedOutput[j] == trackers[j].GetSnapshot().OutputTokens, $"seed {seed}: tracker {j} output");
                Assert.True(expectedUnits[j] == trackers[j].GetSnapshot().GetCategory("search")!.Used, $"seed {seed}: tracker {j} units");
            }
        }

        static bool Over(BudgetTracker t)
        {
            BudgetSnapshot s = t.GetSnapshot();
            BudgetOptions o = t.Options;
            BudgetCategorySnapshot search = s.GetCategory("search")!;
            return s.InputTokens > o.MaxInputTokens || s.OutputTokens > o.MaxOutputTokens || s.CostUsd > o.MaxCostUsd
                || search.Used + search.InFlight > o.ToolLimits["search"];
        }
    }

    private static void RunScenario(int seed)
    {
        var random = new Random(seed);
        var options = new BudgetOptions();
        int categoryCount = random.Next(1, Categories.Length + 1);
        var limits = new long[categoryCount];
        for (int c = 0; c < categoryCount; c++)
        {
            limits[c] = random.Next(1, 30);
            options.SetToolLimit(Categories[c], limits[c]);
        }

        var tracker = new BudgetTracker(options);
        int calls = random.Next(2, 16);
        var plan = new (int Category, int Units, bool Runs)[calls];
        for (int i = 0; i < calls; i++)
        {
            plan[i] = (random.Next(categoryCount), random.Next(1, 7), random.NextDouble() < 0.8);
        }

        var executed = new long[categoryCount];
        int violations = 0;
        Parallel.For(0, calls, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            (int category, int units, bool runs) = plan[i];
            using BudgetReservation reservation = tracker.TryReserve(Categories[category], units);
            if (!reservation.Granted)
            {
                return;
            }

            if (runs)
            {
                reservation.Commit();
                Interlocked.Add(ref executed[category], units);
            }

            BudgetCategorySnapshot now = tracker.GetSnapshot().GetCategory(Categories[category])!;
            if (now.Used > limits[category] || now.Used + now.InFlight > limits[category])
            {
                Interlocked.Increment(ref violations);
            }
        });

        Assert.True(violations == 0, $"seed {seed}: {violations} observations above the limit");
        BudgetSnapshot final = tracker.GetSnapshot();
        for (int c = 0; c < categoryCount; c++)
        {
            BudgetCategorySnapshot s = final.GetCategory(Categories[c])!;
            Assert.True(s.Used <= limits[c], $"seed {seed}: {Categories[c]} used {s.Used} > limit {limits[c]}");
            Assert.True(s.Used == executed[c], $"seed {seed}: {Categories[c]} used {s.Used} but executed {executed[c]}");
            Assert.Equal(0, s.InFlight);
        }
    }
}
