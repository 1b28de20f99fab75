namespace Tessera.Server.Revocation;

/// <summary>
/// Wakes waiting long polls when an event is appended to the feed, in this process. Take <see cref="Next"/>
/// before reading the feed, so an append between the read and the wait is not missed.
/// </summary>
internal sealed class FeedSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Notify"/>.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Notify() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
