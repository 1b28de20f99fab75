using System.Text.Json;
using Tessera.Revocation;
using Tessera.Server.Revocation;
using Tessera.Storage.Sqlite.Sessions;

namespace Tessera.Server.Sessions;

/// <summary>
/// Enforces the session actions that revocation triggers record (docs/revocation.md): <c>revoke_refresh_families</c>
/// revokes the subject's or tenant's refresh families, <c>force_reauthentication</c> ends their sign-in sessions — those
/// begun before the trigger. It follows the trigger record in the database: woken by the revocation feed's signal in this
/// process, and every few seconds for triggers applied by another process. Each trigger is enforced once
/// (<c>enforced_triggers</c>), so restarts and several nodes are safe. Refresh requests also check the revocation
/// cut-offs themselves, so a family is never refreshed in the moment before its trigger is enforced here.
/// </summary>
internal sealed class TriggerEnforcer(
    IRevocationStore revocations, SqliteSignInSessionStore sessions, FeedSignal feed, SessionMetrics metrics, TimeProvider time, ILogger<TriggerEnforcer> logger)
    : BackgroundService
{
    /// <summary>How often the trigger record is read when nothing wakes the enforcer.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    /// <summary>How many of the newest triggers each pass reads.</summary>
    public const int Window = 500;

    private const string RevokeFamilies = "revoke_refresh_families";
    private const string ForceReauthentication = "force_reauthentication";

    /// <summary>How long after a cut-off a pass must have started to be sure it saw the trigger behind the cut-off.</summary>
    private static readonly TimeSpan CommitMargin = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _pass = new(1, 1);
    private long _lastPassStartedMs = long.MinValue;

    /// <summary>
    /// Enforces every trigger recorded so far that is not yet enforced. With <paramref name="cutoff"/>, returns at once
    /// when a completed pass started well after it (and so saw the trigger that set it).
    /// </summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken, DateTimeOffset? cutoff = null)
    {
        if (cutoff is { } c && Interlocked.Read(ref _lastPassStartedMs) > (c + CommitMargin).ToUnixTimeMilliseconds())
        {
            return;
        }

        await _pass.WaitAsync(cancellationToken);
        try
        {
            var started = time.GetUtcNow().ToUnixTimeMilliseconds();
            await PassAsync(cancellationToken);
            Interlocked.Exchange(ref _lastPassStartedMs, started);
        }
        finally
        {
            _pass.Release();
        }
    }

    private async Task PassAsync(CancellationToken cancellationToken)
    {
        var recent = await revocations.ListTriggersAsync(Window, cancellationToken);
        var steps = recent.OrderBy(t => t.CreatedAt).SelectMany(Steps).ToList();
        if (steps.Count == 0)
        {
            return;
        }

        var enforced = await sessions.EnforcedTriggersAsync([.. steps.Select(s => s.Id)], cancellationToken);
        foreach (var step in steps.Where(s => !enforced.Contains(s.Id)))
        {
            var trigger = step.Trigger;
            var result = await sessions.EnforceTriggerAsync(
                step.Id, trigger.Event, step.Scope == "tenant", step.Value, trigger.CreatedAt, step.RevokeFamilies, step.EndSessions, time.GetUtcNow(), cancellationToken);
            if (result is { } counts)
            {
                metrics.TriggerEnforced(trigger.Event, counts.Families, counts.Sessions);
                SessionLog.TriggerEnforced(logger, trigger.Id, trigger.Event, counts.Families, counts.Sessions);
            }
        }
    }

    /// <summary>The session work one trigger asks for: one step per subject or tenant it names (today always one).</summary>
    private static IEnumerable<Step> Steps(RevocationTrigger trigger)
    {
        var actions = SessionActions(trigger);
        var targets = actions.Select(a => (a.Scope, a.Value)).Distinct().ToList();
        foreach (var (scope, value) in targets)
        {
            yield return new Step(
                targets.Count == 1 ? trigger.Id : $"{trigger.Id}/{scope}/{value}",
                trigger,
                scope,
                value,
                actions.Any(a => a.Action == RevokeFamilies && a.Scope == scope && a.Value == value),
                actions.Any(a => a.Action == ForceReauthentication && a.Scope == scope && a.Value == value));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var woken = feed.Next;
            try
            {
                await CatchUpAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The loop must outlive a failed pass; the failure is logged and the next pass tried.
            catch (Exception e)
#pragma warning restore CA1031
            {
                SessionLog.TriggerEnforcementFailed(logger, e);
            }

            try
            {
                await Task.WhenAny(woken, Task.Delay(PollInterval, time, stoppingToken));
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>The session actions a trigger's audit record asks for, each with its scope and value.</summary>
    private static List<(string Action, string Scope, string Value)> SessionActions(RevocationTrigger trigger)
    {
        var found = new List<(string, string, string)>();
        if (!trigger.ActionsJson.Contains(RevokeFamilies, StringComparison.Ordinal) && !trigger.ActionsJson.Contains(ForceReauthentication, StringComparison.Ordinal))
        {
            return found;
        }

        using var document = JsonDocument.Parse(trigger.ActionsJson);
        foreach (var action in document.RootElement.EnumerateArray())
        {
            if (action.ValueKind == JsonValueKind.Object
                && String(action, "action") is RevokeFamilies or ForceReauthentication
                && String(action, "scope") is "subject" or "tenant"
                && String(action, "value") is { Length: > 0 } value)
            {
                found.Add((String(action, "action")!, String(action, "scope")!, value));
            }
        }

        return found;
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public override void Dispose()
    {
        _pass.Dispose();
        base.Dispose();
    }

    private sealed record Step(string Id, RevocationTrigger Trigger, string Scope, string Value, bool RevokeFamilies, bool EndSessions);
}
