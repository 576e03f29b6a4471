namespace Agents.Planners.Scaling;

/// <summary>Options of <see cref="FirstFinishSearchStrategy"/>.</summary>
public sealed class FirstFinishSearchOptions
{
    /// <summary>Gets or sets how many runs race in parallel. Default 4; 1 to 64.</summary>
    public int Samples { get; set; } = 4;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is out of range.</exception>
    public void Validate() => SampleRunner.ValidateCount(Samples, 1, 64, "FirstFinishSearchOptions.Samples");
}
