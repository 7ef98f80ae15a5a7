using Microsoft.AspNetCore.Http;

namespace SerMlNet.Serving.Endpoints;

/// <summary>
/// <c>GET /</c>: the one self-contained page (<c>Web/index.html</c>, embedded in this assembly): inline script and
/// style, and a Content-Security-Policy that lets it talk to this service only. Stateless; thread-safe.
/// </summary>
internal static class PageEndpoint
{
    /// <summary>
    /// The page's policy: nothing from elsewhere; inline script and style; the audio worklet from a <c>blob:</c> URL the
    /// page makes itself; requests to this origin only.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'unsafe-inline' blob:; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'";

    private static readonly Lazy<byte[]> Page = new(Load);

    /// <summary>The page's bytes (UTF-8 HTML).</summary>
    public static byte[] Html => Page.Value;

    /// <summary>Answers one request.</summary>
    /// <param name="http">The request's context.</param>
    /// <returns>A task that completes when the reply is written.</returns>
    public static Task Handle(HttpContext http)
    {
        byte[] html = Page.Value;
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.ContentLength = html.Length;
        return http.Response.Body.WriteAsync(html, http.RequestAborted).AsTask();
    }

    private static byte[] Load()
    {
        using Stream stream = typeof(PageEndpoint).Assembly.GetManifestResourceStream("SerMlNet.Serving.index.html")
            ?? throw new InvalidOperationException("the page resource SerMlNet.Serving.index.html is missing from the assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
