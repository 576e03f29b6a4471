using System.ComponentModel.DataAnnotations;

namespace Agents.Plugins.Tests.Options;

/// <summary>The public <see cref="OptionsValidation"/> refuses bad arguments when called, not when its results are enumerated.</summary>
public sealed class OptionsValidationArgumentTests
{
    [Fact]
    public void HttpUrlRule_refuses_a_null_context_when_called()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => OptionsValidation.HttpUrlRule(null!, null, "Endpoint"));
        Assert.Equal("context", ex.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void HttpUrlRule_refuses_an_empty_member(string member)
    {
        var ex = Assert.Throws<ArgumentException>(() => OptionsValidation.HttpUrlRule(new ValidationContext(new object()), null, member));
        Assert.Equal("member", ex.ParamName);
    }

    [Fact]
    public void HttpUrlRule_refuses_null_words()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => OptionsValidation.HttpUrlRule(new ValidationContext(new object()), null, "Endpoint", null!));
        Assert.Equal("what", ex.ParamName);
    }
}
