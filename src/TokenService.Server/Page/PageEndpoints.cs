using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace TokenService.Page;

/// <summary>
/// The technician's page on <c>serve</c>: <c>GET /</c> and its files under <c>/page/</c>, all from
/// <see cref="PageAssets"/>. The page reads the API (<c>/api/readers</c>, <c>/api/history</c>, <c>/api/status</c>)
/// once per connection and then follows <c>/api/events</c>; it never polls.
/// </summary>
internal static class PageEndpoints
{
    /// <summary>
    /// Only this origin's files and connections: no inline script or style, no plug-ins, no framing, no
    /// form posts, no base-URL rewriting (CSP Level 3, https://www.w3.org/TR/CSP3/).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";

    /// <summary>
    /// Revalidate every time: a 304 costs one round trip on loopback, and a newer tokenservice-server is
    /// never shadowed by a cached older page (the ETag changes with the content).
    /// </summary>
    private const string CacheControl = "no-cache";

    private static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];

    public static WebApplication MapPage(this WebApplication app)
    {
        var assets = PageAssets.Load();
        app.MapMethods("/", GetOrHead, context => ServeAsync(context, assets["index.html"]));
        app.MapMethods("/page/{name}", GetOrHead, context =>
        {
            var name = (string?)context.Request.RouteValues["name"];
            if (name is null || !assets.TryGetValue(name, out var asset) || name == "index.html")
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return ServeAsync(context, asset);
        });
        return app;
    }

    private static Task ServeAsync(HttpContext context, PageAsset asset)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = CacheControl;
        headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        context.Response.ContentType = asset.ContentType;
        context.Response.ContentLength = asset.Content.Length;
        return HttpMethods.IsHead(context.Request.Method)
            ? Task.CompletedTask
            : context.Response.Body.WriteAsync(asset.Content).AsTask();
    }
}
