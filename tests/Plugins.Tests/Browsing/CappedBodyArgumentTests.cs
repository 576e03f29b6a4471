using Agents.Plugins.Browsing;

namespace Agents.Plugins.Tests.Browsing;

/// <summary>The public <see cref="CappedBody"/> refuses bad arguments with clear exceptions.</summary>
public sealed class CappedBodyArgumentTests
{
    [Fact]
    public async Task ReadAsync_refuses_null_content()
    {
        var ex = await Assert.ThrowsAsync<ArgumentNullException>(() => CappedBody.ReadAsync(null!, 10, default));
        Assert.Equal("content", ex.ParamName);
    }

    [Fact]
    public async Task ReadAsync_refuses_a_negative_limit()
    {
        using var content = new ByteArrayContent([1, 2, 3]);

        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => CappedBody.ReadAsync(content, -1, default));
        Assert.Equal("max", ex.ParamName);
    }
}
