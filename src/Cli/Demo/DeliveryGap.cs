namespace ProgMp.Cli.Demo;

/// <summary>A time the receiving application got no byte: from one read to the next, on the demo's clock.</summary>
internal readonly record struct DeliveryGap(TimeSpan Start, TimeSpan End)
{
    public TimeSpan Length => End - Start;
}
