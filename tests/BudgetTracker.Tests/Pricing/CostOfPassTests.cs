namespace Agents.Budget.Tests.Pricing;

public sealed class CostOfPassTests
{
    [Fact]
    public void Compute_IsMeanCostOverSuccessRate()
    {
        double value = CostOfPass.Compute([(1.0m, true), (3.0m, false), (2.0m, true), (2.0m, false)]);
        // mean 2.0 / success rate 0.5
        Assert.Equal(4.0, value, 10);
    }

    [Fact]
    public void Compute_IsInfiniteWithoutSuccess()
    {
        Assert.Equal(double.PositiveInfinity, CostOfPass.Compute([(0.5m, false)]));
    }

    [Fact]
    public void Compute_RejectsBadInput()
    {
        Assert.Throws<ArgumentException>(() => CostOfPass.Compute([]));
        Assert.Throws<ArgumentException>(() => CostOfPass.Compute([(-1m, true)]));
        Assert.Throws<ArgumentNullException>(() => CostOfPass.Compute(null!));
    }
}
