using Microsoft.AspNetCore.Http.Features;

namespace Agents.Samples.ChatApp.Api;

/// <summary>
/// Reads a JSON request body with a size limit, turning every way it can be wrong into a 4xx
/// <see cref="IResult"/> with a message that says what to fix.
/// </summary>
internal static class JsonBodyReader
{
    public static async Task<(T? Value, BodyError? Error)> ReadAsync<T>(
        HttpContext context, int maxBytes, JsonSerializerOptions options, CancellationToken cancellationToken)
        where T : class
    {
        var request = context.Request;
        if (!request.HasJsonContentType())
        {
            return (null, new BodyError(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "Send the request body as JSON with the header Content-Type: application/json."));
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = maxBytes;
        }

        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return (null, TooLarge(maxBytes));
                }

                buffer.Write(chunk, 0, read);
            }

            body = buffer.ToArray();
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(maxBytes));
        }

        if (body.Length == 0)
        {
            return (null, new BodyError(StatusCodes.Status400BadRequest, "Empty body", "The request body is empty; send a JSON object."));
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(body, options);
            return value is null
                ? (null, new BodyError(StatusCodes.Status400BadRequest, "Malformed JSON", "The request body is JSON null; send a JSON object."))
                : (value, null);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, position {ex.BytePositionInLine + 1}" : string.Empty;
            var path = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? string.Empty : $" (field {ex.Path})";
            return (null, new BodyError(StatusCodes.Status400BadRequest, "Malformed JSON",
                $"The request body is not valid JSON for this endpoint{where}{path}."));
        }
    }

    private static BodyError TooLarge(int maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, "Request too large",
            $"The request body is larger than the server limit of {maxBytes} bytes.");
}
