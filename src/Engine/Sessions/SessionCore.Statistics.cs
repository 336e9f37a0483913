using ProgMp.Engine.Streams;
using ProgMp.Engine.Subflows;
using ProgMp.Engine.Timing;

namespace ProgMp.Engine.Sessions;

internal sealed partial class SessionCore
{
    public SessionStatistics GetStatistics()
    {
        lock (Gate)
        {
            var now = MonotonicClock.NowMicroseconds;
            var subflows = new List<SubflowStatistics>(_subflows.Count);
            foreach (var subflow in _subflows)
            {
                subflows.Add(Describe(subflow, now));
            }

            var streams = new List<StreamStatistics>(_streams.Count);
            foreach (var stream in _streams.Values)
            {
                streams.Add(DescribeLocked(stream));
            }

            return new SessionStatistics
            {
                Id = Name,
                IsClient = IsClient,
                Subflows = subflows,
                Streams = streams,
                SchedulerInvocations = SchedulerInvocations,
                RefusedDrops = RefusedDrops,
            };
        }
    }

    private static SubflowStatistics Describe(Subflow subflow, long nowUs) => new()
    {
        Id = subflow.Id,
        PathId = subflow.LocalPathId,
        LocalEndPoint = subflow.LocalEndPoint?.ToString(),
        RemoteEndPoint = subflow.RemoteEndPoint?.ToString(),
        State = subflow.State,
        IsBackup = subflow.IsBackup,
        RttMicroseconds = subflow.Account.Rtt.SmoothedUs,
        RttVarMicroseconds = subflow.Account.Rtt.VariationUs,
        MinRttMicroseconds = subflow.Account.Rtt.MinUs,
        DelayOutMicroseconds = subflow.DelayOutUs,
        DelayInMicroseconds = subflow.DelayInUs,
        CongestionWindow = subflow.Account.Congestion.Window,
        InFlight = subflow.Account.InFlight,
        Queued = subflow.Account.Queued,
        BytesSent = subflow.Account.PayloadBytesSent,
        BytesAcked = subflow.Account.PayloadBytesAcked,
        RetransmittedBytes = subflow.Account.RetransmittedBytesSent,
        LostPackets = subflow.Account.DataLevelLost + subflow.KernelLost,
        SendBytesLastSecond = subflow.Account.SendMeter.LastSecond(nowUs),
        AckedBytesLastSecond = subflow.Account.AckMeter.LastSecond(nowUs),
        BytesReceived = subflow.BytesReceived,
        TimesSuspected = subflow.TimesSuspected,
        KernelRttMicroseconds = subflow.LastTcpInfo.Length > 0 ? subflow.LastTcpInfo.RttMicroseconds : 0,
        KernelCongestionWindow = subflow.LastTcpInfo.Length > 0 ? subflow.LastTcpInfo.SndCwnd : 0,
        KernelState = subflow.LastTcpInfo.Length > 0 ? subflow.LastTcpInfo.CongestionState.ToString().ToLowerInvariant() : null,
    };

    public static StreamStatistics DescribeLocked(StreamCore stream)
    {
        var rx = stream.Receive;
        return new StreamStatistics
        {
            Id = stream.Id,
            Scheduler = stream.Scheduler.Name,
            BytesWritten = stream.BytesWritten,
            BytesAcked = stream.BytesAcked,
            BytesRead = stream.BytesRead,
            RetransmittedBytes = stream.RetransmittedBytes,
            ReinjectedBytes = stream.ReinjectedBytes,
            ReorderedBytes = rx.ReorderedBytes,
            MeanReorderWaitMilliseconds = rx.ReorderedBytes == 0 ? 0 : rx.ReorderWaitByteMicroseconds / (double)rx.ReorderedBytes / 1000.0,
            MaxReorderWaitMilliseconds = rx.MaxReorderWaitUs / 1000.0,
            DuplicateBytesReceived = rx.DuplicateBytes,
            SchedulerInvocations = stream.Invocations,
            RefusedDrops = stream.RefusedDrops,
            Registers = stream.State.Registers.ToArray(),
            QueuedPackets = stream.State.Q.Count,
            UnacknowledgedPackets = stream.State.QU.Count,
        };
    }
}
