namespace Agents.Samples.ResearchAgent;

/// <summary>The one message a first run gets: everything still missing (model, documents or a search provider), each with the option that sets it.</summary>
internal static class FirstRunHelp
{
    /// <summary>Joins what is missing into one message.</summary>
    /// <param name="model">What to do about the model (it names <c>--model</c> and <c>--endpoint</c>).</param>
    /// <param name="search">What to do about the documents or search provider (it names <c>--index</c> and <c>--search</c>); <see langword="null"/> when they are fine.</param>
    public static string Missing(string model, string? search)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        if (string.IsNullOrWhiteSpace(search))
        {
            return model;
        }

        return new StringBuilder("The research agent needs two things before it can run:\n")
            .Append("1. A model. ").Append(model).Append('\n')
            .Append("2. Documents or a search provider. ").Append(search)
            .ToString();
    }
}
