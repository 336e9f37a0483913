using System.Net;
using ProgMp.Compiler;
using ProgMp.Engine.Tests.Support;
using ProgMp.Runtime.Registry;

namespace ProgMp.Engine.Tests.Api;

/// <summary>
/// A configuration whose streams could not send is refused where it is first used, with a message that
/// says what to do; a stream would otherwise wait for a scheduler forever, silently.
/// </summary>
public class DefaultSchedulerTests
{
    private static readonly IPEndPoint s_loopback = new(IPAddress.Loopback, 0);

    public static IEnumerable<TestCaseData> UnsendableOptions()
    {
        yield return new TestCaseData(new MultipathOptions { Security = TestSecurity.Tls }, "'minRtt'", "it is empty")
            .SetArgDisplayNames("an empty registry, the default");
        yield return new TestCaseData(new MultipathOptions { Security = TestSecurity.Tls, Registry = SchedulerLibrary.CreateRegistry(), DefaultScheduler = "mine" }, "'mine'", "it holds blest, ")
            .SetArgDisplayNames("a default the registry does not hold");
    }

    [TestCaseSource(nameof(UnsendableOptions))]
    public void A_listener_refuses_options_whose_default_scheduler_is_not_loaded(MultipathOptions options, string scheduler, string holds)
    {
        var error = Assert.Throws<ArgumentException>(() => _ = new MultipathListener([s_loopback], options));

        AssertSaysWhatToDo(error!, scheduler, holds);
    }

    [TestCaseSource(nameof(UnsendableOptions))]
    [CancelAfter(30_000)]
    public void A_client_refuses_options_whose_default_scheduler_is_not_loaded_before_it_connects(MultipathOptions options, string scheduler, string holds, CancellationToken cancellationToken)
    {
        // Nothing listens there: the refusal must come before any connection is tried.
        var error = Assert.ThrowsAsync<ArgumentException>(async () => await MultipathClient.ConnectAsync([new MultipathPath(new IPEndPoint(IPAddress.Loopback, 9))], options, cancellationToken: cancellationToken));

        AssertSaysWhatToDo(error!, scheduler, holds);
    }

    [Test]
    public void The_library_registry_holds_the_default_scheduler()
    {
        var options = new MultipathOptions { Registry = SchedulerLibrary.CreateRegistry(), Security = TestSecurity.Tls };

        Assert.DoesNotThrowAsync(async () => await new MultipathListener([s_loopback], options).DisposeAsync());
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_program_of_ones_own_can_be_the_default(CancellationToken cancellationToken)
    {
        var registry = new SchedulerRegistry(new SchedulerCompiler());
        Assert.That(registry.Load(EngineTestKit.OnlyOn("mine", "MIN")).Succeeded, Is.True);
        var options = EngineTestKit.Options("mine", registry);
        await using var pair = await SessionPair.StartAsync(1, options, cancellationToken);
        var (client, server) = await pair.OpenStreamAsync(cancellationToken);
        var data = EngineTestKit.Bytes(100_000, 31);
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);

        await EngineTestKit.SendAllAsync(client, data, cancellationToken);

        Assert.That((await reader).Length, Is.EqualTo(data.Length));
    }

    private static void AssertSaysWhatToDo(ArgumentException error, string scheduler, string holds) => Assert.Multiple(() =>
    {
        Assert.That(error.ParamName, Is.EqualTo(nameof(MultipathOptions.DefaultScheduler)));
        Assert.That(error.Message, Does.Contain($"default scheduler {scheduler} is not in MultipathOptions.Registry"));
        Assert.That(error.Message, Does.Contain(holds));
        Assert.That(error.Message, Does.Contain("SchedulerLibrary.CreateRegistry() (namespace ProgMp.Compiler)"));
    });
}
