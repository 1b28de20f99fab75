using Microsoft.Extensions.Options;
using Tessera.SampleApi;

WebApplication app;
try
{
    app = SampleApiHost.Create(args, Console.Out);
    await app.StartAsync();
}
catch (OptionsValidationException e)
{
    // Misconfiguration: say what to fix, without a stack trace.
    await Console.Error.WriteLineAsync($"tessera-sample-api: {string.Join(Environment.NewLine, e.Failures)}");
    return 1;
}

await app.WaitForShutdownAsync();
return 0;
