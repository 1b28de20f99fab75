using System.Globalization;
using System.Text.Json;
using Tessera.Cli.CommandLine;
using Tessera.Keys.Ring;

namespace Tessera.Cli.Commands;

/// <summary>Prints a key ring as a table, or as JSON with <c>--json</c>.</summary>
internal sealed class KeysOutput(CliConsole console, bool json)
{
    public static string Time(DateTimeOffset? instant) =>
        instant?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";

    public void Keys(KeyRingSnapshot snapshot, IEnumerable<string> notes)
    {
        if (json)
        {
            WriteJson(snapshot, notes);
            return;
        }

        foreach (var note in notes)
        {
            console.Out.WriteLine(note);
        }

        if (snapshot.Keys.Count == 0)
        {
            console.Out.WriteLine("The key ring is empty. Create its first key with 'tessera keys generate'.");
            return;
        }

        console.Out.WriteLine($"{"KID",-43}  {"ALG",-6} {"GEN",3}  {"STATE",-8} {"CREATED",-20} {"ACTIVATES",-20} {"RETIRES",-20} REMOVES");
        foreach (var key in snapshot.Keys)
        {
            var state = snapshot.StateOf(key).ToString().ToLowerInvariant() + (key.RemovedEarly ? "!" : string.Empty);
            console.Out.WriteLine(
                $"{key.Kid,-43}  {key.Algorithm.Name,-6} {key.Generation,3}  {state,-8} {Time(key.CreatedAt),-20} {Time(key.ActivatesAt),-20} {Time(key.RetiresAt),-20} {Time(key.RemovesAt)}");
        }

        if (snapshot.Keys.Any(k => k.RemovedEarly))
        {
            console.Out.WriteLine("removed! = removed at once (emergency), before its planned time");
        }
    }

    private void WriteJson(KeyRingSnapshot snapshot, IEnumerable<string> notes)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("at", Time(snapshot.At));
            w.WriteStartArray("notes");
            foreach (var note in notes)
            {
                w.WriteStringValue(note);
            }

            w.WriteEndArray();
            w.WriteStartArray("keys");
            foreach (var key in snapshot.Keys)
            {
                w.WriteStartObject();
                w.WriteString("kid", key.Kid);
                w.WriteString("alg", key.Algorithm.Name);
                w.WriteNumber("generation", key.Generation);
                w.WriteString("state", snapshot.StateOf(key).ToString().ToLowerInvariant());
                w.WriteString("createdAt", Time(key.CreatedAt));
                w.WriteString("activatesAt", Time(key.ActivatesAt));
                WriteOptional(w, "retiresAt", key.RetiresAt);
                WriteOptional(w, "removesAt", key.RemovesAt);
                w.WriteBoolean("removedEarly", key.RemovedEarly);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, DateTimeOffset? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, Time(value));
        }
    }
}
