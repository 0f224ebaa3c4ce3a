using System.Globalization;
using System.Net;

namespace CacheFs.Origin.Hosting;

/// <summary>Parses --listen: "127.0.0.1:7070", "[::1]:7070", "localhost:7070", "*:7070" or "0.0.0.0:0" (port 0: any free port).</summary>
internal static class ListenAddress
{
    public static IPEndPoint Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon > 0 && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= IPEndPoint.MaxPort)
        {
            var host = text[..colon].Trim('[', ']');
            if (host is "*" or "+")
                return new IPEndPoint(IPAddress.IPv6Any, port);
            if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
                return new IPEndPoint(IPAddress.Loopback, port);
            if (IPAddress.TryParse(host, out var address))
                return new IPEndPoint(address, port);
        }

        throw new OriginStartException(OriginStartError.InvalidOptions, $"'{text}' is not a listen address (like 127.0.0.1:7070, [::1]:7070 or *:7070)");
    }
}
