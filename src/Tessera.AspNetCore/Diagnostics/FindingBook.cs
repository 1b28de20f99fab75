namespace Tessera.AspNetCore.Diagnostics;

/// <summary>
/// The analyser's findings, one per kind and key: raised once, then extended while rejections keep coming, reported
/// again at most once per report interval, dropped after the retention; never more than the bound. Not thread-safe;
/// the analyser holds its lock.
/// </summary>
internal sealed class FindingBook(int maxFindings, TimeSpan retention, TimeSpan reportInterval)
{
    private readonly Dictionary<(string Kind, string Key), Tracked> _findings = [];

    public IReadOnlyList<DiagnosticFinding> All(DateTimeOffset now)
    {
        Expire(now);
        return [.. _findings.Values.Select(t => t.Finding).OrderByDescending(f => f.LastSeen)];
    }

    /// <summary>Raises or extends a finding; adds it to <paramref name="report"/> when it is new or due to be reported again.</summary>
    public void Raise(string kind, string subjectType, string key, DateTimeOffset now, double? offset, ref List<DiagnosticFinding>? report, string summary)
    {
        if (_findings.TryGetValue((kind, key), out var tracked))
        {
            tracked.Finding = tracked.Finding with
            {
                Count = tracked.Finding.Count + 1,
                LastSeen = now,
                Summary = summary,
                EstimatedOffsetSeconds = offset ?? tracked.Finding.EstimatedOffsetSeconds,
            };
            if (now - tracked.LastReported < reportInterval)
            {
                return;
            }
        }
        else
        {
            Expire(now);
            if (_findings.Count >= maxFindings)
            {
                _findings.Remove(_findings.MinBy(f => f.Value.Finding.LastSeen).Key);
            }

            tracked = new Tracked
            {
                Finding = new DiagnosticFinding
                {
                    Kind = kind,
                    SubjectType = subjectType,
                    Key = key,
                    Summary = summary,
                    Count = 1,
                    FirstSeen = now,
                    LastSeen = now,
                    EstimatedOffsetSeconds = offset,
                },
            };
            _findings[(kind, key)] = tracked;
        }

        tracked.LastReported = now;
        (report ??= []).Add(tracked.Finding);
    }

    /// <summary>A rejection that did not cross a threshold still extends a finding already raised about the same key.</summary>
    public void Touch(string kind, string key, DateTimeOffset now, bool applies)
    {
        if (applies && _findings.TryGetValue((kind, key), out var tracked))
        {
            tracked.Finding = tracked.Finding with { Count = tracked.Finding.Count + 1, LastSeen = now };
        }
    }

    private void Expire(DateTimeOffset now)
    {
        foreach (var (key, tracked) in _findings)
        {
            if (now - tracked.Finding.LastSeen > retention)
            {
                _findings.Remove(key);
            }
        }
    }

    private sealed class Tracked
    {
        public required DiagnosticFinding Finding { get; set; }

        public DateTimeOffset LastReported { get; set; }
    }
}
