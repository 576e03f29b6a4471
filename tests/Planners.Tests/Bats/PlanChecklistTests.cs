namespace Agents.Planners.Tests.Bats;

public sealed class PlanChecklistTests
{
    private const string Plan = """
        Some preamble the model wrote.
        1. [ ] Find candidate novels from the 1990s
          1.1 [ ] Lead: Booker shortlist
        2. [ ] Verify the author's birthplace
        """;

    [Fact]
    public void Parse_ReadsStepsInOrder()
    {
        PlanChecklist plan = PlanChecklist.Parse(Plan);
        Assert.Equal(["1", "1.1", "2"], plan.Steps.Select(s => s.Id));
        Assert.All(plan.Steps, s => Assert.Equal(PlanStepStatus.Pending, s.Status));
        Assert.Equal(1, plan.Steps[1].Depth);
        Assert.Equal("1", plan.ActiveStepId);
    }

    [Fact]
    public void Render_RoundTripsEveryStatusAndSpend()
    {
        PlanChecklist plan = PlanChecklist.Parse("1 [x] a (spent: 4)\n1.1 [!] b (spent: 2)\n1.2 [~] c\n2 [ ] d\n");
        string text = plan.Render();
        Assert.Equal("1 [x] a (spent: 4)\n  1.1 [!] b (spent: 2)\n  1.2 [~] c\n2 [ ] d\n", text);
        Assert.Equal(plan.Steps, PlanChecklist.Parse(text).Steps);
    }

    [Fact]
    public void ApplyUpdate_ChangesStatusAddsBranchesAndNeverDeletes()
    {
        PlanChecklist plan = PlanChecklist.Parse(Plan);
        int changed = plan.ApplyUpdate("1.1 [!] (spent: 3)\n1.2 [ ] Lead: Pulitzer list\n");
        Assert.Equal(2, changed);
        Assert.Equal(["1", "1.1", "1.2", "2"], plan.Steps.Select(s => s.Id));
        Assert.Equal(PlanStepStatus.Failed, plan.Find("1.1")!.Status);
        Assert.Equal("Lead: Booker shortlist", plan.Find("1.1")!.Description);
        Assert.Equal(3, plan.Find("1.1")!.SpentUnits);
        Assert.Equal("1.2", plan.ActiveStepId);

        // Spend never decreases; a step missing from an update stays.
        plan.ApplyUpdate("1.1 [!] (spent: 1)");
        Assert.Equal(3, plan.Find("1.1")!.SpentUnits);
        Assert.Equal(4, plan.Steps.Count);
    }

    [Fact]
    public void ApplyUpdate_LineWithoutNumber_AddsTopLevelStep()
    {
        PlanChecklist plan = PlanChecklist.Parse(Plan);
        plan.ApplyUpdate("- [ ] Ask a different way");
        Assert.Equal("3", plan.Steps[^1].Id);
        Assert.Equal("Ask a different way", plan.Steps[^1].Description);
    }

    [Fact]
    public void AddSpentAndSetStatus_UpdateKnownStepsOnly()
    {
        PlanChecklist plan = PlanChecklist.Parse(Plan);
        Assert.True(plan.AddSpent("2", 5));
        Assert.True(plan.SetStatus("1", PlanStepStatus.Done));
        Assert.False(plan.AddSpent("9", 1));
        Assert.False(plan.SetStatus("9", PlanStepStatus.Done));
        Assert.Equal(5, plan.Find("2")!.SpentUnits);
        Assert.Equal("1.1", plan.ActiveStepId);
        Assert.Equal("3", plan.AddStep("new").Id);
    }

    [Fact]
    public void ActiveStep_IsNull_WhenAllClosed()
    {
        PlanChecklist plan = PlanChecklist.Parse("1 [x] a\n2 [!] b");
        Assert.Null(plan.ActiveStepId);
    }

    [Fact]
    public void Clone_IsIndependent()
    {
        PlanChecklist plan = PlanChecklist.Parse(Plan);
        PlanChecklist copy = plan.Clone();
        copy.SetStatus("1", PlanStepStatus.Done);
        Assert.Equal(PlanStepStatus.Pending, plan.Find("1")!.Status);
    }

    [Fact]
    public void BadInput_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => PlanChecklist.Parse(null!));
        PlanChecklist plan = PlanChecklist.Parse(Plan);
        Assert.Throws<ArgumentNullException>(() => plan.ApplyUpdate(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => plan.AddSpent("1", -1));
        Assert.ThrowsAny<ArgumentException>(() => plan.AddStep(" "));
    }
}
