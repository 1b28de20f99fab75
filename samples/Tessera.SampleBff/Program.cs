using Microsoft.Extensions.Options;
using Tessera.SampleBff;

WebApplication app;
try
{
    app = SampleBffHost.Create(args, Console.Out);
    await app.StartAsync();
}
catch (OptionsValidationException e)
{
    // Misconfiguration: say what to fix, without a stack trace.
    await Console.Error.WriteLineAsync($"tessera-sample-bff: {string.Join(Environment.NewLine, e.Failures)}");
    return 1;
}

await app.WaitForShutdownAsync();
return 0;
