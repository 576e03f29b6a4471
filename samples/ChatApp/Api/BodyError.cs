namespace Agents.Samples.ChatApp.Api;

/// <summary>Why a request body was refused.</summary>
/// <param name="Status">The HTTP status code (4xx).</param>
/// <param name="Title">A short title.</param>
/// <param name="Detail">What is wrong and how to fix it.</param>
internal sealed record BodyError(int Status, string Title, string Detail);
