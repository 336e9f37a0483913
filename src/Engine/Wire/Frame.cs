namespace ProgMp.Engine.Wire;

/// <summary>
/// One decoded frame: <see cref="Type"/> says which field holds it; the others are default. A field per
/// kind, rather than a class per kind, so that decoding allocates nothing and reads like a switch.
/// </summary>
/// <remarks>
/// Variable parts (a data payload, a host name, a close message) are borrowed from the decoder's
/// input and valid until that input is released (<c>PipeReader.AdvanceTo</c>, or the buffer reused).
/// </remarks>
internal readonly struct Frame
{
    public readonly FrameType Type;

    public readonly SetupFrame Setup;
    public readonly SetupAckFrame SetupAck;
    public readonly JoinRequestFrame JoinRequest;
    public readonly JoinChallengeFrame JoinChallenge;
    public readonly JoinConfirmFrame JoinConfirm;
    public readonly CloseFrame Close;
    public readonly StreamOpenFrame StreamOpen;
    public readonly DataFrame Data;
    public readonly DataAckFrame DataAck;
    public readonly StreamResetFrame StreamReset;
    public readonly PingFrame Ping;
    public readonly PongFrame Pong;
    public readonly PathAddFrame PathAdd;
    public readonly PathRemoveFrame PathRemove;
    public readonly PathPriorityFrame PathPriority;

    public Frame(in SetupFrame frame) => (Type, Setup) = (FrameType.Setup, frame);

    public Frame(in SetupAckFrame frame) => (Type, SetupAck) = (FrameType.SetupAck, frame);

    public Frame(in JoinRequestFrame frame) => (Type, JoinRequest) = (FrameType.JoinRequest, frame);

    public Frame(in JoinChallengeFrame frame) => (Type, JoinChallenge) = (FrameType.JoinChallenge, frame);

    public Frame(in JoinConfirmFrame frame) => (Type, JoinConfirm) = (FrameType.JoinConfirm, frame);

    /// <summary>A join accept has no fields: the argument only picks this overload.</summary>
    public Frame(in JoinAcceptFrame frame) => Type = FrameType.JoinAccept;

    public Frame(in CloseFrame frame) => (Type, Close) = (FrameType.Close, frame);

    public Frame(in StreamOpenFrame frame) => (Type, StreamOpen) = (FrameType.StreamOpen, frame);

    public Frame(in DataFrame frame) => (Type, Data) = (FrameType.Data, frame);

    public Frame(in DataAckFrame frame) => (Type, DataAck) = (FrameType.DataAck, frame);

    public Frame(in StreamResetFrame frame) => (Type, StreamReset) = (FrameType.StreamReset, frame);

    public Frame(in PingFrame frame) => (Type, Ping) = (FrameType.Ping, frame);

    public Frame(in PongFrame frame) => (Type, Pong) = (FrameType.Pong, frame);

    public Frame(in PathAddFrame frame) => (Type, PathAdd) = (FrameType.PathAdd, frame);

    public Frame(in PathRemoveFrame frame) => (Type, PathRemove) = (FrameType.PathRemove, frame);

    public Frame(in PathPriorityFrame frame) => (Type, PathPriority) = (FrameType.PathPriority, frame);

    public override string ToString() => Type switch
    {
        FrameType.Setup => Setup.ToString(),
        FrameType.SetupAck => SetupAck.ToString(),
        FrameType.JoinRequest => JoinRequest.ToString(),
        FrameType.JoinChallenge => JoinChallenge.ToString(),
        FrameType.JoinConfirm => JoinConfirm.ToString(),
        FrameType.JoinAccept => default(JoinAcceptFrame).ToString(),
        FrameType.Close => Close.ToString(),
        FrameType.StreamOpen => StreamOpen.ToString(),
        FrameType.Data => Data.ToString(),
        FrameType.DataAck => DataAck.ToString(),
        FrameType.StreamReset => StreamReset.ToString(),
        FrameType.Ping => Ping.ToString(),
        FrameType.Pong => Pong.ToString(),
        FrameType.PathAdd => PathAdd.ToString(),
        FrameType.PathRemove => PathRemove.ToString(),
        FrameType.PathPriority => PathPriority.ToString(),
        _ => "no frame",
    };
}
