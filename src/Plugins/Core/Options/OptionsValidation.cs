using System.ComponentModel.DataAnnotations;

namespace Agents.Plugins;

/// <summary>
/// What the plugins' options classes share around the validators that the options validation source generator writes
/// (<c>[OptionsValidator]</c>): the rules are attributes on the options, and <see cref="IValidatableObject"/> says the few
/// that attributes cannot (cross-property rules, URL schemes, lists of file extensions).
/// </summary>
/// <remarks>
/// A plugin's options follow one pattern: rules as DataAnnotations attributes (<c>[Range(typeof(TimeSpan), "00:00:00", OptionsValidation.MaxTimeSpan)]</c>),
/// an <c>[OptionsValidator]</c> partial class, and <c>public void Validate() =&gt; OptionsValidation.ThrowIfFailed&lt;MyOptions&gt;(new MyOptionsValidator().Validate(null, this));</c>,
/// so that bad options always throw <see cref="OptionsValidationException"/>.
/// </remarks>
public static class OptionsValidation
{
    /// <summary>The largest <see cref="TimeSpan"/>, as an attribute argument: <c>[Range(typeof(TimeSpan), "00:00:00", MaxTimeSpan)]</c>.</summary>
    public const string MaxTimeSpan = "10675199.02:48:05.4775807";

    private const string ValidateSuffix = ".Validate";

    /// <summary>
    /// The name of the options object that <see cref="IValidatableObject.Validate"/> is called for, to start its messages
    /// with: a generated validator passes <c>&lt;name&gt;.Validate</c> as the display name (<c>BraveSearchOptions</c>, or
    /// <c>HttpPageFetcherOptions.Resilience</c> for nested options); DataAnnotations' own validator passes the type name.
    /// </summary>
    /// <param name="context">The context the validator passes.</param>
    /// <returns>The options object's name.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is null.</exception>
    public static string OwnerName(ValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        string name = context.DisplayName;
        return name.EndsWith(ValidateSuffix, StringComparison.Ordinal) ? name[..^ValidateSuffix.Length] : name;
    }

    /// <summary>Throws when <paramref name="result"/> failed.</summary>
    /// <typeparam name="TOptions">The options type, named in the exception.</typeparam>
    /// <param name="result">What the validator found.</param>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is null.</exception>
    /// <exception cref="OptionsValidationException">The result failed; its failures name each option.</exception>
    public static void ThrowIfFailed<TOptions>(ValidateOptionsResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Failed)
        {
            throw new OptionsValidationException(typeof(TOptions).Name, typeof(TOptions), result.Failures);
        }
    }

    /// <summary>Whether <paramref name="address"/> is an absolute <c>http</c> or <c>https</c> URL.</summary>
    /// <param name="address">The address, or null.</param>
    /// <returns>True for an absolute http(s) URL.</returns>
    public static bool IsHttpUrl(Uri? address) =>
        address is not null && address.IsAbsoluteUri && (address.Scheme == Uri.UriSchemeHttp || address.Scheme == Uri.UriSchemeHttps);

    /// <summary>The failure of an address option that is not an absolute <c>http</c> or <c>https</c> URL (see <see cref="IsHttpUrl"/>); none when it is one.</summary>
    /// <param name="context">The context of <see cref="IValidatableObject.Validate"/>, which names the options object.</param>
    /// <param name="address">The address.</param>
    /// <param name="member">The option's property name.</param>
    /// <param name="what">Words after "URL" in the message, for example <c>" of the SearXNG instance"</c>.</param>
    /// <returns>No result, or the one failure.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> or <paramref name="what"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="member"/> is null, empty or white space.</exception>
    public static IEnumerable<ValidationResult> HttpUrlRule(ValidationContext context, Uri? address, string member, string what = "")
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrWhiteSpace(member);
        ArgumentNullException.ThrowIfNull(what);
        return HttpUrlRuleCore(context, address, member, what);
    }

    /// <summary>Whether every entry of <paramref name="extensions"/> is a file extension with its dot (<c>.md</c>), and there is at least one when <paramref name="requireOne"/>.</summary>
    /// <param name="extensions">The extensions.</param>
    /// <param name="requireOne">Whether an empty list is refused.</param>
    /// <returns>True when the list is valid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="extensions"/> is null.</exception>
    public static bool AreExtensions(IEnumerable<string?> extensions, bool requireOne)
    {
        ArgumentNullException.ThrowIfNull(extensions);
        bool any = false;
        foreach (string? extension in extensions)
        {
            if (string.IsNullOrWhiteSpace(extension) || extension[0] != '.' || extension.Length < 2)
            {
                return false;
            }

            any = true;
        }

        return any || !requireOne;
    }

    private static IEnumerable<ValidationResult> HttpUrlRuleCore(ValidationContext context, Uri? address, string member, string what)
    {
        if (!IsHttpUrl(address))
        {
            yield return new ValidationResult($"{OwnerName(context)}.{member} must be an absolute http or https URL{what}.", [member]);
        }
    }
}
