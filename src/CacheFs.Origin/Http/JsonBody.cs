using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace CacheFs.Origin.Http;

/// <summary>
/// Reads a request body through <see cref="CacheFs.Protocol.ProtocolJson"/>: unknown members, a wrong type, a missing
/// body or plain garbage is a 400 BadRequest problem, never a default-valued request.
/// </summary>
internal static class JsonBody
{
    public static async Task<T> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type)
        where T : class
    {
        T? value;
        try
        {
            value = await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted);
        }
        catch (JsonException e)
        {
            throw OriginException.BadRequest($"The request body is not a valid {typeof(T).Name}: {e.Message}");
        }
        catch (NotSupportedException e)
        {
            throw OriginException.BadRequest($"The request body is not a valid {typeof(T).Name}: {e.Message}");
        }

        return value ?? throw OriginException.BadRequest($"The request body must be a {typeof(T).Name}, not null");
    }
}
