namespace ProgMp.Proxy;

/// <summary>What a <see cref="TcpRelay"/> did: how it ended and the bytes it carried each way.</summary>
internal readonly record struct RelayResult(RelayOutcome Outcome, long BytesToStream, long BytesToSocket, string? Detail);
