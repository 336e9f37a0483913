using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

using ProgMp.Engine;

namespace ProgMp.Proxy.Control;

/// <summary>Sessions: their figures (JSON and Prometheus), closing one, and closing the engine.</summary>
internal sealed partial class ControlApi
{
    private JsonHttpResult<SessionsReply> ListSessions() =>
        Json(new SessionsReply(LiveSessions().Select(Describe).ToList(), LimitHits()), ControlJsonContext.Messages.SessionsReply);

    private List<LimitReport> LimitHits() => Options.Limits.AllHits.Select(h => new LimitReport(h.Key.ToString(), h.Value)).ToList();

    private JsonHttpResult<SessionReport> GetSession(string session) => Json(Describe(FindSession(session)), ControlJsonContext.Messages.SessionReport);

    private ContentHttpResult Metrics()
    {
        var text = PrometheusText.Write(LiveSessions().Select(Describe).ToList(), LimitHits(), Registry.Names.Count, Options.DefaultScheduler);
        return TypedResults.Text(text, PrometheusText.ContentType);
    }

    private async Task<JsonHttpResult<CloseReply>> CloseSessionAsync(HttpContext context, string session, CancellationToken cancellationToken)
    {
        var target = FindSession(session);
        await target.CloseAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        Applied(context, $"closed session {target.Id}");
        return Json(new CloseReply(target.Id, target.CloseReason), ControlJsonContext.Messages.CloseReply);
    }

    /// <summary>Answers first and shuts down after: the host's shutdown may well stop this endpoint.</summary>
    private JsonHttpResult<ShutdownReply> Shutdown(HttpContext context)
    {
        var shutdown = _target.Shutdown ?? throw ControlException.Conflict("this host offers no shutdown through its control endpoint");
        context.Response.OnCompleted(() =>
        {
            _ = Task.Run(() =>
            {
                try
                {
                    shutdown();
                }
#pragma warning disable CA1031 // Whatever the host's shutdown throws, it must reach the log, not an unobserved task.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    ControlLog.ShutdownFailed(_logger, e);
                }
            });
            return Task.CompletedTask;
        });
        Applied(context, $"shutting the {_target.Role} down");
        return Json(new ShutdownReply(_target.Role), ControlJsonContext.Messages.ShutdownReply, StatusCodes.Status202Accepted);
    }

    private SessionReport Describe(MultipathSession session)
    {
        var statistics = session.GetStatistics();
        var prefix = session.Id + "/";
        var subflows = statistics.Subflows.Select(s => new SubflowReport(
            s.Id,
            s.PathId,
            s.LocalEndPoint,
            s.RemoteEndPoint,
            s.State,
            s.IsBackup,
            s.RttMicroseconds,
            s.RttVarMicroseconds,
            s.MinRttMicroseconds,
            s.DelayOutMicroseconds,
            s.DelayInMicroseconds,
            s.CongestionWindow,
            s.InFlight,
            s.Queued,
            s.BytesSent,
            s.BytesAcked,
            s.BytesReceived,
            s.RetransmittedBytes,
            s.LostPackets,
            s.SendBytesLastSecond,
            s.AckedBytesLastSecond,
            _rates.Rate(prefix + "subflow/" + s.Id.ToString(CultureInfo.InvariantCulture) + "/received", s.BytesReceived))).ToList();
        var streams = statistics.Streams.Select(s =>
        {
            var key = prefix + "stream/" + s.Id.ToString(CultureInfo.InvariantCulture);
            return new StreamReport(
                s.Id,
                s.Scheduler,
                s.BytesWritten,
                s.BytesAcked,
                s.BytesRead,
                s.RetransmittedBytes,
                s.ReinjectedBytes,
                s.ReorderedBytes,
                s.MeanReorderWaitMilliseconds,
                s.MaxReorderWaitMilliseconds,
                s.DuplicateBytesReceived,
                s.SchedulerInvocations,
                s.RefusedDrops,
                s.Registers,
                s.QueuedPackets,
                s.UnacknowledgedPackets,
                _rates.Rate(key + "/acked", s.BytesAcked),
                _rates.Rate(key + "/read", s.BytesRead));
        }).ToList();
        var paths = session.Paths.Select(p => new PathReport(p.Id, Format(p.Path.Remote), p.Path.Local is { } local ? (local.Port == 0 ? local.Address.ToString() : local.ToString()) : null, p.Backup, p.Removed)).ToList();
        return new SessionReport(statistics.Id, statistics.IsClient, statistics.SchedulerInvocations, statistics.RefusedDrops, paths, subflows, streams);
    }

    /// <summary>HOST:PORT, as a path is written (a <see cref="DnsEndPoint"/> prints its address family too).</summary>
    private static string Format(EndPoint endpoint) => endpoint switch
    {
        DnsEndPoint dns => string.Create(CultureInfo.InvariantCulture, $"{dns.Host}:{dns.Port}"),
        _ => endpoint.ToString() ?? "",
    };
}
