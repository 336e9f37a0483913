using System.Net;

namespace ProgMp.Engine.Tests.Api;

/// <summary>How a path prints (log lines, the control endpoint's replies): the way <c>--path</c> is written.</summary>
public class MultipathPathTests
{
    [TestCase("10.0.0.1", "10.0.0.1@192.0.2.7:7000")]
    [TestCase("10.0.0.1:5000", "10.0.0.1:5000@192.0.2.7:7000")]
    [TestCase("::1", "::1@192.0.2.7:7000")]
    [TestCase("[::1]:5000", "[::1]:5000@192.0.2.7:7000")]
    public void A_local_bind_prints_its_port_only_when_one_was_chosen(string local, string expected)
    {
        var path = new MultipathPath(IPEndPoint.Parse("192.0.2.7:7000"), IPEndPoint.Parse(local));
        Assert.That(path.ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void A_path_without_a_local_bind_prints_its_remote_and_backup_flag()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new MultipathPath(new DnsEndPoint("example.com", 80)).ToString(), Is.EqualTo("example.com:80"));
            Assert.That(new MultipathPath(IPEndPoint.Parse("192.0.2.7:7000"), Backup: true).ToString(), Is.EqualTo("192.0.2.7:7000,backup"));
        });
    }
}
