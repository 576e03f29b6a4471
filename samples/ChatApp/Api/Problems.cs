namespace Agents.Samples.ChatApp.Api;

/// <summary>Builds RFC 7807 problem responses with a clear detail text.</summary>
internal static class Problems
{
    public static IResult Create(int status, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: title);

    public static IResult BadRequest(string detail) => Create(StatusCodes.Status400BadRequest, "Invalid request", detail);
}
