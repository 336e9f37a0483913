using System.Buffers;
using System.Net;
using System.Text;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Tests.Wire;

public sealed class DestinationTests
{
    [TestCase("localhost")]
    [TestCase("example.com")]
    [TestCase("a-b_c.d1")]
    [TestCase("192.0.2.1")]
    [TestCase("x")]
    public void A_dns_style_host_name_is_valid(string name)
    {
        Assert.That(Destination.IsValidHostName(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(name))), Is.True);
    }

    [TestCase("")]
    [TestCase(".")]
    [TestCase("a..b")]
    [TestCase(".a")]
    [TestCase("a.")]
    [TestCase("a b")]
    [TestCase("a:80")]
    [TestCase("[::1]")]
    [TestCase("a\u0000")]
    public void A_name_with_empty_labels_or_other_bytes_is_invalid(string name)
    {
        Assert.That(Destination.IsValidHostName(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(name))), Is.False);
    }

    [Test]
    public void A_host_name_may_have_255_bytes_and_labels_of_63_but_no_more()
    {
        var label = new string('a', 63);
        var longest = string.Join('.', label, label, label, label);

        Assert.That(longest, Has.Length.EqualTo(255));
        Assert.That(IsValid(longest), Is.True);
        Assert.That(IsValid(longest + "a"), Is.False);
        Assert.That(IsValid(new string('a', 64)), Is.False);
    }

    [Test]
    public void A_host_name_is_checked_across_segment_boundaries()
    {
        var name = Encoding.ASCII.GetBytes("ab.cd");

        Assert.That(Destination.IsValidHostName(WireTestKit.OneByteSegments(name)), Is.True);
        Assert.That(Destination.IsValidHostName(WireTestKit.OneByteSegments("ab..d"u8.ToArray())), Is.False);
    }

    [Test]
    public void Making_a_destination_from_bad_values_throws()
    {
        Assert.Throws<ArgumentException>(() => Destination.FromHostName("bad name", 80));
        Assert.Throws<ArgumentOutOfRangeException>(() => Destination.FromHostName("example.com", 0));
        Assert.Throws<ArgumentException>(() => Destination.FromAddress(IPAddress.Any, 80));
        Assert.Throws<ArgumentOutOfRangeException>(() => Destination.FromAddress(IPAddress.Loopback, 0));
    }

    [TestCase("127.0.0.1")]
    [TestCase("203.0.113.255")]
    [TestCase("::1")]
    [TestCase("2001:db8:1:2:3:4:5:6")]
    [TestCase("::ffff:192.0.2.1")]
    public void An_address_survives_the_wire_form(string text)
    {
        var address = IPAddress.Parse(text);

        var wire = WireAddress.FromIPAddress(address);

        Assert.That(wire.ToIPAddress(), Is.EqualTo(address));
        Assert.That(wire.Length, Is.EqualTo(address.GetAddressBytes().Length));
    }

    [Test]
    public void A_decoded_destination_gives_its_end_point_back()
    {
        var sent = new StreamOpenFrame(1, Destination.FromHostName("proxy.example", 3128));

        var destination = WireTestKit.DecodeOne(WireTestKit.Encode(sent)).StreamOpen.Destination;

        Assert.That(destination.Kind, Is.EqualTo(DestinationKind.HostName));
        Assert.That(destination.GetHostName(), Is.EqualTo("proxy.example"));
        Assert.That(destination.Port, Is.EqualTo(3128));
    }

    private static bool IsValid(string name) =>
        Destination.IsValidHostName(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(name)));
}
