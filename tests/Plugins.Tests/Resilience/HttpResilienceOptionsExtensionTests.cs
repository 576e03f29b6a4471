using Agents.Plugins.Resilience;
using Microsoft.Extensions.Options;

namespace Agents.Plugins.Tests.Resilience;

/// <summary>Another plugin's resilience options derive from <see cref="HttpResilienceOptions"/> and add their own rules.</summary>
public sealed class HttpResilienceOptionsExtensionTests
{
    [Fact]
    public void Derived_options_validate_their_own_rules_through_Validate()
    {
        var options = new ProviderResilienceOptions { RequestsPerMinute = 0 };

        var ex = Assert.Throws<OptionsValidationException>(() => options.Validate("ProviderOptions.Resilience"));

        Assert.Equal("ProviderOptions.Resilience", ex.OptionsName);
        Assert.Contains("ProviderOptions.Resilience.RequestsPerMinute must be at least 1.", ex.Failures);
    }

    [Fact]
    public void Derived_options_keep_the_inherited_rules()
    {
        var options = new ProviderResilienceOptions { MaxRetryAttempts = 99 };

        var ex = Assert.Throws<OptionsValidationException>(() => options.Validate());

        Assert.Contains(ex.Failures, f => f.Contains("MaxRetryAttempts", StringComparison.Ordinal));
    }

    private sealed class ProviderResilienceOptions : HttpResilienceOptions
    {
        public int RequestsPerMinute { get; set; } = 60;

        protected override ValidateOptionsResult ValidateMembers(string name)
        {
            var inherited = base.ValidateMembers(name);
            List<string> failures = [.. inherited.Failed ? inherited.Failures : []];
            if (RequestsPerMinute < 1)
            {
                failures.Add($"{name}.RequestsPerMinute must be at least 1.");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
