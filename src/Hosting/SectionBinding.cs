namespace Agents.Hosting;

/// <summary>Reads options from a configuration section, as every <c>Add...(IConfiguration section)</c> extension of this package does.</summary>
internal static class SectionBinding
{
    /// <summary>Binds <typeparamref name="TOptions"/> from <paramref name="section"/> (the defaults when it is empty) and names the section's path, for messages.</summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="section">The section.</param>
    /// <param name="defaultPath">The path named when <paramref name="section"/> is not a section (a configuration root): the options' usual section name.</param>
    /// <returns>The options and the path.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="section"/> is null.</exception>
    public static (TOptions Options, string Path) Bind<TOptions>(IConfiguration section, string defaultPath)
        where TOptions : new()
    {
        ArgumentNullException.ThrowIfNull(section);
        return (section.Get<TOptions>() ?? new TOptions(), (section as IConfigurationSection)?.Path ?? defaultPath);
    }
}
