using System.Collections.Frozen;
using System.Security.Cryptography;

namespace TokenService.Page;

/// <summary>One file of the page, read once from the program's embedded resources.</summary>
/// <param name="ContentType">The media type with its charset, as sent in Content-Type.</param>
/// <param name="ETag">A strong validator: the first 128 bits of the content's SHA-256 (RFC 9110 §8.8.3).</param>
internal sealed record PageAsset(string Name, string ContentType, ReadOnlyMemory<byte> Content, string ETag);

/// <summary>
/// The page's HTML, CSS and JavaScript, shipped inside tokenservice-server as embedded resources
/// (<c>TokenService.Page.NAME</c>): nothing is read from disk or fetched from a CDN at run time, and the
/// NativeAOT build carries them like any managed resource.
/// </summary>
internal static class PageAssets
{
    private const string ResourcePrefix = "TokenService.Page.";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8", // RFC 9239 §6
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every embedded page file by its name (e.g. <c>page.js</c>).</summary>
    /// <exception cref="InvalidOperationException">A resource has an extension without a content type (a build mistake).</exception>
    public static FrozenDictionary<string, PageAsset> Load()
    {
        var assembly = typeof(PageAssets).Assembly;
        var assets = new Dictionary<string, PageAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var name = resource[ResourcePrefix.Length..];
            if (!ContentTypes.TryGetValue(Path.GetExtension(name), out var type))
            {
                throw new InvalidOperationException($"embedded page file {name} has no known content type");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 16)) + "\"";
            assets[name] = new PageAsset(name, type, content, etag);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
