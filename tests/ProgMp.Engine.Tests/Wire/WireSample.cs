using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Tests.Wire;

/// <summary>One encoded frame with the text its decoding must give.</summary>
public sealed class WireSample
{
    private WireSample(string name, byte[] bytes, string text)
    {
        Name = name;
        Bytes = bytes;
        Text = text;
    }

    public string Name { get; }

    public byte[] Bytes { get; }

    /// <summary>The frame's <c>ToString()</c> before encoding.</summary>
    public string Text { get; }

    internal static WireSample Of<T>(string name, in T frame)
        where T : struct, IFrame
    {
        var bytes = new byte[FrameEncoder.GetLength(frame)];
        var written = FrameEncoder.Write(bytes, frame);
        Assert.That(written, Is.EqualTo(bytes.Length), name);
        return new(name, bytes, frame.ToString()!);
    }

    public override string ToString() => Name;
}
