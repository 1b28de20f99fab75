using Tessera.Server.Hosting;

WebApplication app;
try
{
    app = ServerHost.Create(args);
}
catch (Exception e) when (e is InvalidOperationException or Tessera.TesseraConfigurationException or Tessera.Keys.KeyRejectedException)
{
    // Misconfiguration: say what to fix, without a stack trace.
    Console.Error.WriteLine($"tessera-server: {e.Message}");
    return 1;
}

await app.RunAsync();
return 0;
