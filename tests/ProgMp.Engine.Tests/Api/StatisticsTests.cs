using System.Reflection;
using System.Xml.Linq;

namespace ProgMp.Engine.Tests.Api;

/// <summary>The statistics records a user prints and reads: every figure shown, lists element by element, every member documented.</summary>
public class StatisticsTests
{
    private static readonly Type[] s_records = [typeof(SessionStatistics), typeof(StreamStatistics), typeof(SubflowStatistics)];

    [Test]
    public void A_session_prints_its_subflows_and_streams_element_by_element()
    {
        var text = Sample().ToString();

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.StartWith("SessionStatistics { Id = 3f2a, IsClient = True, Subflows = [SubflowStatistics { Id = 1, PathId = 0, LocalEndPoint = 127.0.0.1:4000, "));
            Assert.That(text, Does.Contain("}, SubflowStatistics { Id = 2, PathId = 1, "));
            Assert.That(text, Does.Contain("Streams = [StreamStatistics { Id = 3, Scheduler = minRtt, "));
            Assert.That(text, Does.Contain("MeanReorderWaitMilliseconds = 1.5, "));
            Assert.That(text, Does.Contain("Registers = [1, 0, 0, 0, 0, 42], "));
            Assert.That(text, Does.Contain("KernelState = null"));
            Assert.That(text, Does.Not.Contain("System."));
        });
    }

    [TestCaseSource(nameof(s_records))]
    public void Every_public_member_is_printed(Type record)
    {
        var session = Sample();
        object instance = record == typeof(SessionStatistics) ? session : record == typeof(StreamStatistics) ? session.Streams[0] : session.Subflows[0];
        var text = instance.ToString();

        foreach (var property in record.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            Assert.That(text, Does.Contain($" {property.Name} = "), property.Name);
        }
    }

    [TestCaseSource(nameof(s_records))]
    public void Every_public_member_has_xml_docs(Type record)
    {
        var file = Path.ChangeExtension(record.Assembly.Location, ".xml");
        var documented = XDocument.Load(file).Descendants("member")
            .Where(m => m.Element("summary") is { } summary && !string.IsNullOrWhiteSpace(summary.Value))
            .Select(m => (string)m.Attribute("name")!)
            .ToHashSet();

        Assert.That(documented, Does.Contain("T:" + record.FullName), "the type");
        var undocumented = record.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Select(p => p.Name)
            .Where(name => !documented.Contains($"P:{record.FullName}.{name}"))
            .ToList();
        Assert.That(undocumented, Is.Empty);
    }

    private static SessionStatistics Sample() => new()
    {
        Id = "3f2a",
        IsClient = true,
        Subflows =
        [
            new SubflowStatistics { Id = 1, PathId = 0, LocalEndPoint = "127.0.0.1:4000", RemoteEndPoint = "127.0.0.1:7000", State = SubflowState.Active, RttMicroseconds = 10_000 },
            new SubflowStatistics { Id = 2, PathId = 1, State = SubflowState.Suspected, IsBackup = true },
        ],
        Streams = [new StreamStatistics { Id = 3, Scheduler = "minRtt", BytesWritten = 1_000_000, MeanReorderWaitMilliseconds = 1.5, Registers = [1, 0, 0, 0, 0, 42] }],
        SchedulerInvocations = 7,
    };
}
