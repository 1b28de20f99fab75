using System.Text.Json.Nodes;
using Tessera.Testing;

namespace Tessera.Tests.Interop;

/// <summary>Runs a <c>tests/interop</c> script that needs the <c>jose</c> package (see <see cref="NodeRunner"/>).</summary>
internal static class NodeScript
{
    public static JsonObject Run(string script, JsonObject input) =>
        NodeRunner.RunAsync(script, input, "jose").GetAwaiter().GetResult();
}
