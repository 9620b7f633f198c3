using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace TokenService.Api;

/// <summary>
/// <c>POST /api/session</c> (form field <c>key</c>: the API key, answered 204 with the session cookie, or 401) and
/// <c>DELETE /api/session</c> (sign-out), mapped only when an API key is configured (see <see cref="PageSessions"/>).
/// The POST passes <see cref="RequestGuard"/> without the key, since it carries it; it still needs the page's
/// custom header like every state-changing request, so no other site can sign a browser in or out.
/// </summary>
internal static class SessionEndpoints
{
    public const string Path = "/session";
    public const string KeyField = "key";

    public static RouteGroupBuilder MapPageSessions(this RouteGroupBuilder api, ApiKey key, PageSessions sessions, ILogger logger)
    {
        api.MapPost(Path, async context =>
        {
            var request = context.Request;
            if (!request.HasFormContentType)
            {
                context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
                return;
            }

            var form = await request.ReadFormAsync(context.RequestAborted);
            var remote = context.Connection.RemoteIpAddress?.ToString();
            if (!key.Matches(form[KeyField].ToString()))
            {
                Log.ApiKeyRefused(logger, request.Method, request.Path, remote);
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            context.Response.Cookies.Append(PageSessions.CookieName, sessions.Start(), PageSessions.Cookie(request));
            context.Response.Headers.CacheControl = "no-store";
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            Log.SessionStarted(logger, remote);
        });
        api.MapDelete(Path, context =>
        {
            sessions.End(context.Request.Cookies[PageSessions.CookieName]);
            context.Response.Cookies.Append(PageSessions.CookieName, "", PageSessions.Cookie(context.Request, ending: true));
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            Log.SessionEnded(logger, context.Connection.RemoteIpAddress?.ToString());
            return Task.CompletedTask;
        });
        return api;
    }

    /// <summary>Whether <paramref name="request"/> asks to start a session: it presents the key itself, in its form.</summary>
    public static bool IsSignIn(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Equals(ReaderApi.Prefix + Path, StringComparison.Ordinal);
}
