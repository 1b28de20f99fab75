using System.Reflection;

namespace Tessera.SampleBff;

/// <summary>Serves the demo page and its script from embedded resources (no framework, no inline script).</summary>
internal static class DemoPage
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/", () => Serve("index.html", "text/html; charset=utf-8"));
        app.MapGet("/app.js", () => Serve("app.js", "text/javascript; charset=utf-8"));
        app.MapGet("/app.css", () => Serve("app.css", "text/css; charset=utf-8"));
    }

    private static IResult Serve(string name, string contentType)
    {
        var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("wwwroot/" + name);
        return stream is null ? Results.NotFound() : Results.Stream(stream, contentType);
    }
}
