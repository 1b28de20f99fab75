using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Tessera.LoadTest;

/// <summary>
/// The HTTP floor: an ASP.NET Core minimal API whose POST /floor returns a constant JSON document of a token
/// response's size without reading the request. Nothing a token server does can be cheaper over the same HTTP stack.
/// </summary>
internal static class FloorServer
{
    private static readonly byte[] Response = System.Text.Encoding.UTF8.GetBytes(
        "{\"access_token\":\"" + new string('x', 480) + "\",\"token_type\":\"Bearer\",\"expires_in\":300,\"scope\":\"read\"}");

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        var app = builder.Build();
        app.MapGet("/health", () => Results.Json(new { status = "healthy" }));
        app.MapPost("/floor", () => Results.Bytes(Response, "application/json"));
        await app.RunAsync();
        return 0;
    }
}
