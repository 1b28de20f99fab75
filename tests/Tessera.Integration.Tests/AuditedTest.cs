namespace Tessera.Integration.Tests;

/// <summary>After every test, the logs and metric tags written so far are audited for tokens and rejected subjects.</summary>
public abstract class AuditedTest : IAsyncLifetime
{
    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync()
    {
        LogCapture.Instance.AssertNoLeaks();
        return Task.CompletedTask;
    }
}
