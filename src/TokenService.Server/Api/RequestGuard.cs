using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TokenService.Api;

/// <summary>
/// What every request passes before an endpoint sees it, in this order: a Host the service is reached as
/// (<see cref="AllowedHosts"/>, else 400), the API key when one is configured (<see cref="ApiKey"/>, else 401), and
/// for a state-changing request the proof that no foreign web page sent it (<see cref="CrossSiteRequests"/>, else 403).
/// With a key, three kinds of request pass without it: the page's own files (<c>GET /</c>, <c>/page/*</c>: static,
/// no data), the sign-in that presents the key in its body (<see cref="SessionEndpoints"/>), and a request under
/// <c>/api/</c> with a live page session's cookie (<see cref="PageSessions"/>).
/// </summary>
internal static class RequestGuard
{
    public static WebApplication UseRequestGuard(this WebApplication app, ServeOptions serve, ILogger logger)
    {
        ListenAddress.TryParse(serve.Listen, out var listen); // validated at start
        var hosts = new AllowedHosts(listen!, serve.AllowedHosts, https: serve.CertificateFile is not null);
        var key = serve.ApiKey is { } configured ? new ApiKey(configured) : null;
        var sessions = app.Services.GetRequiredService<PageSessions>();
        app.Use((context, next) =>
        {
            var request = context.Request;
            if (!hosts.Allows(request.Host))
            {
                Log.HostRefused(logger, request.Method, request.Path, request.Host.Value, Remote(context));
                return RefuseAsync(context, StatusCodes.Status400BadRequest, "this service is not reached under that Host name: add it to TokenService:Serve:AllowedHosts if it is really ours");
            }

            if (key is not null && !key.IsPresentedBy(request) && !IsPageFile(request) && !SessionEndpoints.IsSignIn(request) && !HasLiveSession(request, sessions))
            {
                Log.ApiKeyRefused(logger, request.Method, request.Path, Remote(context));
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            }

            if (CrossSiteRequests.Refusal(request) is { } refusal)
            {
                Log.CrossSiteRefused(logger, request.Method, request.Path, Remote(context), refusal);
                return RefuseAsync(context, StatusCodes.Status403Forbidden, refusal);
            }

            return next(context);
        });
        return app;
    }

    /// <summary>The page's files: the same for everyone, and the page must load to ask for the key.</summary>
    private static bool IsPageFile(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && (request.Path == "/" || request.Path.StartsWithSegments("/page", StringComparison.Ordinal));

    private static bool HasLiveSession(HttpRequest request, PageSessions sessions) =>
        request.Path.StartsWithSegments(ReaderApi.Prefix, StringComparison.Ordinal)
        && sessions.IsLive(request.Cookies[PageSessions.CookieName]);

    private static string? Remote(HttpContext context) => context.Connection.RemoteIpAddress?.ToString();

    /// <summary>An RFC 9457 problem details body, as the endpoints answer.</summary>
    private static Task RefuseAsync(HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Detail = detail },
        }).AsTask();
    }
}
