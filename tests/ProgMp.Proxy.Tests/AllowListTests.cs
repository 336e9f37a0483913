using System.Net;
using ProgMp.Proxy;

namespace ProgMp.Proxy.Tests;

public class AllowListTests
{
    // entry, destination, port, allowed
    private static readonly object[] s_addressCases =
    [
        new object[] { "127.0.0.1", "127.0.0.1", 80, true },
        new object[] { "127.0.0.1", "127.0.0.2", 80, false },
        new object[] { "10.0.0.0/8", "10.255.1.2", 443, true },
        new object[] { "10.0.0.0/8", "11.0.0.1", 443, false },
        new object[] { "192.168.4.0/22", "192.168.7.255", 1, true },
        new object[] { "192.168.4.0/22", "192.168.8.0", 1, false },
        new object[] { "0.0.0.0/0", "203.0.113.9", 65535, true },
        new object[] { "0.0.0.0/0", "::1", 80, false },
        new object[] { "10.1.2.3:5201", "10.1.2.3", 5201, true },
        new object[] { "10.1.2.3:5201", "10.1.2.3", 5202, false },
        new object[] { "10.0.0.0/8:22", "10.9.9.9", 22, true },
        new object[] { "10.0.0.0/8:22", "10.9.9.9", 23, false },
        new object[] { "::1", "::1", 80, true },
        new object[] { "::1", "127.0.0.1", 80, false },
        new object[] { "fd00::/8", "fd12:3456::1", 80, true },
        new object[] { "fd00::/8", "fe80::1", 80, false },
        new object[] { "[::1]:22", "::1", 22, true },
        new object[] { "[::1]:22", "::1", 23, false },
        new object[] { "[fd00::/8]:443", "fdff::1", 443, true },
        new object[] { "[fd00::]/8:443", "fdff::1", 443, true },
        new object[] { "[fd00::]/8:443", "fdff::1", 80, false },
        new object[] { "::/0", "2001:db8::1", 80, true },
        new object[] { "127.0.0.1", "::ffff:127.0.0.1", 80, true },
        new object[] { "example.com", "93.184.216.34", 80, false },
    ];

    [TestCaseSource(nameof(s_addressCases))]
    public void An_address_is_allowed_by_the_rules_that_cover_it(string entry, string address, int port, bool allowed)
    {
        var list = AllowList.Parse([entry]);
        Assert.That(list.Allows(IPAddress.Parse(address), port), Is.EqualTo(allowed));
    }

    // entry, host, port, allowed
    private static readonly object[] s_hostCases =
    [
        new object[] { "example.com", "example.com", 80, true },
        new object[] { "example.com", "EXAMPLE.com.", 80, true },
        new object[] { "example.com", "www.example.com", 80, false },
        new object[] { "example.com:443", "example.com", 443, true },
        new object[] { "example.com:443", "example.com", 80, false },
        new object[] { "*.example.com", "www.example.com", 80, true },
        new object[] { "*.example.com", "a.b.example.com", 80, true },
        new object[] { "*.example.com", "example.com", 80, false },
        new object[] { "*.example.com", "badexample.com", 80, false },
        new object[] { "localhost", "localhost", 5201, true },
        new object[] { "10.0.0.0/8", "ten.example", 80, false },
    ];

    [TestCaseSource(nameof(s_hostCases))]
    public void A_host_name_is_allowed_by_the_host_rules_that_name_it(string entry, string host, int port, bool allowed)
    {
        var list = AllowList.Parse([entry]);
        Assert.That(list.AllowsHost(host, port), Is.EqualTo(allowed));
    }

    [TestCase("", "an empty allow entry; expected HOST, IP or CIDR, optionally with :PORT")]
    [TestCase("10.0.0.0/33", "'10.0.0.0/33': prefix length '33' must be a number from 0 to 32 for IPv4")]
    [TestCase("fd00::/129", "'fd00::/129': prefix length '129' must be a number from 0 to 128 for IPv6")]
    [TestCase("10.0.0.0/x", "'10.0.0.0/x': prefix length 'x' must be a number from 0 to 32 for IPv4")]
    [TestCase("10.1.2.3/8", "'10.1.2.3/8': the address has bits set beyond the /8 prefix (the network is 10.0.0.0/8)")]
    [TestCase("10.0.0.300", "'10.0.0.300': looks like an IPv4 address but is not one (four numbers from 0 to 255)")]
    [TestCase("10.0.0.300/8", "'10.0.0.300/8': '10.0.0.300' is not an IPv4 or IPv6 address")]
    [TestCase("host:0", "'host:0': port '0' is not a number from 1 to 65535")]
    [TestCase("host:65536", "'host:65536': port '65536' is not a number from 1 to 65535")]
    [TestCase("host:", "'host:': port '' is not a number from 1 to 65535")]
    [TestCase(":80", "':80': no host or address before the port")]
    [TestCase("fd00::1:80x", "'fd00::1:80x': not an IPv6 address (write an IPv6 address with a port as [ADDRESS]:PORT)")]
    [TestCase("[::1", "'[::1': '[' without its ']'")]
    [TestCase("[::1]x", "'[::1]x': unexpected 'x' after ']'")]
    [TestCase("[10.0.0.1]:80", "'[10.0.0.1]:80': brackets are for IPv6 addresses")]
    [TestCase("bad host", "'bad host': not an IP address, a CIDR network or a host name (labels of letters, digits, '-' or '_', or *.domain)")]
    [TestCase("a..b", "'a..b': not an IP address, a CIDR network or a host name (labels of letters, digits, '-' or '_', or *.domain)")]
    [TestCase("*", "'*': not an IP address, a CIDR network or a host name (labels of letters, digits, '-' or '_', or *.domain)")]
    public void A_malformed_entry_is_rejected_with_a_clear_reason(string entry, string expected)
    {
        Assert.Multiple(() =>
        {
            Assert.That(AllowList.TryParse([entry], out var list, out var error), Is.False);
            Assert.That(list, Is.Null);
            Assert.That(error, Is.EqualTo(expected));
            Assert.That(() => AllowList.Parse([entry]), Throws.InstanceOf<FormatException>().With.Message.EqualTo(expected));
        });
    }

    [Test]
    public void The_first_bad_entry_of_several_is_named()
    {
        Assert.That(AllowList.TryParse(["127.0.0.1", "example.com:http", "10.0.0.0/8"], out _, out var error), Is.False);
        Assert.That(error, Is.EqualTo("'example.com:http': port 'http' is not a number from 1 to 65535"));
    }

    [Test]
    public void No_entries_mean_loopback_only()
    {
        var list = AllowList.Parse([]);
        Assert.Multiple(() =>
        {
            Assert.That(list, Is.SameAs(AllowList.LoopbackOnly));
            Assert.That(list.Allows(IPAddress.Parse("127.0.0.1"), 5201), Is.True);
            Assert.That(list.Allows(IPAddress.Parse("127.45.6.7"), 1), Is.True);
            Assert.That(list.Allows(IPAddress.IPv6Loopback, 22), Is.True);
            Assert.That(list.Allows(IPAddress.Parse("10.0.0.1"), 80), Is.False);
            Assert.That(list.Allows(IPAddress.Parse("192.168.1.1"), 80), Is.False);
            Assert.That(list.Allows(IPAddress.Parse("fd00::2"), 80), Is.False);
            Assert.That(list.AllowsHost("localhost", 80), Is.False, "names are allowed through the addresses they resolve to");
        });
    }

    [Test]
    public void Several_entries_allow_the_union()
    {
        var list = AllowList.Parse(["10.0.0.0/8:80", "example.org", "::1"]);
        Assert.Multiple(() =>
        {
            Assert.That(list.Allows(IPAddress.Parse("10.1.1.1"), 80), Is.True);
            Assert.That(list.Allows(IPAddress.Parse("10.1.1.1"), 81), Is.False);
            Assert.That(list.Allows(IPAddress.IPv6Loopback, 81), Is.True);
            Assert.That(list.AllowsHost("example.org", 1), Is.True);
            Assert.That(list.ToString(), Is.EqualTo("10.0.0.0/8:80, example.org, ::1"));
        });
    }


    // This host's addresses besides loopback, as a stand-in for its interfaces.
    private static readonly IPAddress[] s_hostAddresses = [IPAddress.Parse("192.0.2.10"), IPAddress.Parse("fe80::10%2")];

    // allow entries, where the proxy listens, destination, port, permitted
    private static readonly object[] s_ownPortCases =
    [
        new object[] { "", "127.0.0.1:7000", "127.0.0.1", 7000, false },
        new object[] { "", "127.0.0.1:7000", "127.0.0.1", 7001, true },
        new object[] { "", "127.0.0.1:7000", "127.0.0.2", 7000, true },
        new object[] { "", "127.0.0.1:7000", "::ffff:127.0.0.1", 7000, false },
        new object[] { "0.0.0.0/0", "0.0.0.0:7000", "192.0.2.10", 7000, false },
        new object[] { "0.0.0.0/0", "0.0.0.0:7000", "127.0.0.9", 7000, false },
        new object[] { "0.0.0.0/0", "0.0.0.0:7000", "198.51.100.1", 7000, true },
        new object[] { "0.0.0.0/0", "0.0.0.0:7000", "192.0.2.10", 7001, true },
        new object[] { "0.0.0.0/0 ::/0", "[::]:7000", "127.0.0.1", 7000, false },
        new object[] { "0.0.0.0/0 ::/0", "[::]:7000", "::1", 7000, false },
        new object[] { "0.0.0.0/0 ::/0", "[::]:7000", "fe80::10", 7000, false },
        new object[] { "0.0.0.0/0 ::/0", "[::]:7000", "2001:db8::1", 7000, true },
        new object[] { "0.0.0.0/0 ::/0", "10.0.0.1:7000", "0.0.0.0", 7000, false },
        new object[] { "0.0.0.0/0 ::/0", "10.0.0.1:7000", "0.0.0.0", 80, false },
        new object[] { "0.0.0.0/0 ::/0", "10.0.0.1:7000", "::", 80, false },
        new object[] { "0.0.0.0/0 ::/0", "10.0.0.1:7000 127.0.0.1:7070", "127.0.0.1", 7070, false },
        new object[] { "0.0.0.0/0 ::/0", "10.0.0.1:7000 127.0.0.1:7070", "10.0.0.1", 7070, true },
        new object[] { "10.0.0.0/8", "0.0.0.0:7000", "10.0.0.1", 7000, true },
        new object[] { "10.0.0.0/8", "0.0.0.0:7000", "11.0.0.1", 80, false },
    ];

    [TestCaseSource(nameof(s_ownPortCases))]
    public void The_proxys_own_ports_are_never_destinations(string entries, string listening, string address, int port, bool permitted)
    {
        var list = AllowList.Parse(Split(entries));
        Assert.That(list.Permits(IPAddress.Parse(address), port, Own(listening)), Is.EqualTo(permitted));
    }

    // allow entries, where the proxy listens, host, its addresses, port, the addresses tried
    private static readonly object[] s_nameCases =
    [
        new object[] { "", "127.0.0.1:7000", "db.example", "127.0.0.1", 5432, "127.0.0.1" },
        new object[] { "", "127.0.0.1:7000", "db.example", "10.0.0.1 127.0.0.1", 5432, "127.0.0.1" },
        new object[] { "", "127.0.0.1:7000", "db.example", "10.0.0.1", 5432, "" },
        new object[] { "", "127.0.0.1:7000", "db.example", "127.0.0.1", 7000, "" },
        new object[] { "db.example", "127.0.0.1:7000", "db.example", "10.0.0.1 127.0.0.1", 5432, "10.0.0.1 127.0.0.1" },
        new object[] { "db.example", "127.0.0.1:7000", "db.example", "10.0.0.1 127.0.0.1", 7000, "10.0.0.1" },
        new object[] { "db.example:5432", "127.0.0.1:7000", "db.example", "10.0.0.1", 22, "" },
        new object[] { "*.example", "0.0.0.0:7000", "a.example", "192.0.2.10", 7000, "" },
        new object[] { "0.0.0.0/0", "10.0.0.1:7000", "zero.example", "0.0.0.0", 80, "" },
        new object[] { "0.0.0.0/0", "0.0.0.0:7000", "self.example", "192.0.2.10 198.51.100.1", 7000, "198.51.100.1" },
    ];

    [TestCaseSource(nameof(s_nameCases))]
    public void A_name_leads_only_to_its_permitted_addresses(string entries, string listening, string host, string addresses, int port, string tried)
    {
        var list = AllowList.Parse(Split(entries));
        var resolved = Split(addresses).Select(IPAddress.Parse).ToList();
        Assert.That(list.PermittedAddresses(host, port, resolved, Own(listening)), Is.EqualTo(Split(tried).Select(IPAddress.Parse).ToArray()));
    }

    // The table of docs/proxy.md: the remote proxy listens on 0.0.0.0:7000 with its control endpoint
    // on 127.0.0.1:7070, on a host with 192.0.2.10. allow entries, destination, port, what a name
    // resolves to (none for an address), the addresses tried (none: refused).
    private static readonly object[] s_documentedCases =
    [
        new object[] { "", "127.0.0.1", 5432, "", "127.0.0.1" },
        new object[] { "", "127.0.0.1", 7070, "", "" },
        new object[] { "", "127.0.0.1", 7000, "", "" },
        new object[] { "", "localhost", 7000, "127.0.0.1 ::1", "" },
        new object[] { "", "192.0.2.10", 80, "", "" },
        new object[] { "", "db.example.com", 5432, "10.1.2.3 127.0.0.1", "127.0.0.1" },
        new object[] { "", "db.example.com", 5432, "10.1.2.3", "" },
        new object[] { "10.0.0.0/8:5432", "10.1.2.3", 5432, "", "10.1.2.3" },
        new object[] { "10.0.0.0/8:5432", "10.1.2.3", 22, "", "" },
        new object[] { "db.example.com", "db.example.com", 5432, "10.1.2.3", "10.1.2.3" },
        new object[] { "db.example.com", "10.1.2.3", 5432, "", "" },
        new object[] { "*.example.com:443", "api.example.com", 443, "198.51.100.7", "198.51.100.7" },
        new object[] { "*.example.com:443", "example.com", 443, "198.51.100.7", "" },
        new object[] { "0.0.0.0/0", "203.0.113.9", 443, "", "203.0.113.9" },
        new object[] { "0.0.0.0/0", "127.0.0.1", 22, "", "127.0.0.1" },
        new object[] { "0.0.0.0/0", "192.0.2.10", 22, "", "192.0.2.10" },
        new object[] { "0.0.0.0/0", "192.0.2.10", 7000, "", "" },
        new object[] { "0.0.0.0/0", "127.0.0.1", 7070, "", "" },
        new object[] { "0.0.0.0/0", "0.0.0.0", 80, "", "" },
        new object[] { "0.0.0.0/0", "2001:db8::1", 443, "", "" },
    ];

    [TestCaseSource(nameof(s_documentedCases))]
    public void The_documented_examples_hold(string entries, string destination, int port, string resolved, string tried)
    {
        var list = AllowList.Parse(Split(entries));
        var own = Own("0.0.0.0:7000 127.0.0.1:7070");
        var expected = Split(tried).Select(IPAddress.Parse).ToArray();
        if (AllowRule.TryParseAddress(destination, out var address))
        {
            Assert.That(list.Permits(address, port, own), Is.EqualTo(expected.Length == 1));
        }
        else
        {
            Assert.That(list.PermittedAddresses(destination, port, Split(resolved).Select(IPAddress.Parse).ToList(), own), Is.EqualTo(expected));
        }
    }

    [Test]
    public void This_hosts_interface_addresses_are_found_when_a_listener_takes_every_address()
    {
        var own = new OwnEndPoints();
        own.Add(new IPEndPoint(IPAddress.Any, 7000));
        var addresses = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address)
            .ToList();
        Assert.That(addresses, Is.Not.Empty);
        Assert.That(addresses.Where(a => !own.Covers(a, 7000)), Is.Empty);
    }

    private static string[] Split(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static OwnEndPoints Own(string listening)
    {
        var own = new OwnEndPoints(() => s_hostAddresses);
        foreach (var endpoint in Split(listening))
        {
            own.Add(IPEndPoint.Parse(endpoint));
        }

        return own;
    }
}
