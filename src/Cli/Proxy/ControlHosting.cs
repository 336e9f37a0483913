using System.Net;
using Microsoft.Extensions.Logging;
using ProgMp.Engine;
using ProgMp.Proxy.Control;

namespace ProgMp.Cli.Proxy;

/// <summary>The proxies' <c>--control</c> and <c>--token-file</c>: checked before anything listens, started once the proxy runs.</summary>
internal sealed class ControlHosting
{
    private ControlHosting(IPEndPoint endpoint, string token)
    {
        Endpoint = endpoint;
        Token = token;
    }

    public IPEndPoint Endpoint { get; }

    public string Token { get; }

    /// <summary>Null with no problem when no endpoint was asked for; a one-line problem for wrong flags.</summary>
    public static ControlHosting? TryCreate(CommonSettings settings, out string? problem)
    {
        problem = null;
        if (settings.Control is null)
        {
            if (settings.TokenFile is not null)
            {
                problem = "--token-file needs --control ADDRESS:PORT";
            }

            return null;
        }

        if (!ProxyArguments.TryParseListen("--control", settings.Control, out var endpoint, out problem))
        {
            return null;
        }

        if (settings.TokenFile is null)
        {
            problem = "--control needs --token-file FILE: every request must carry the token";
            return null;
        }

        if (!ControlToken.TryReadFile(settings.TokenFile, out var token, out var tokenProblem))
        {
            problem = $"--token-file {settings.TokenFile}: {tokenProblem}";
            return null;
        }

        return new ControlHosting(endpoint, token);
    }

    public Task<ControlEndpoint> StartAsync(MultipathOptions options, Func<IReadOnlyList<MultipathSession>> sessions, string role, ShutdownSignal stop, ILoggerFactory logs) =>
        ControlEndpoint.StartAsync(Endpoint, Token, new ControlTarget { Options = options, Sessions = sessions, Shutdown = stop.Request, Role = role }, logs, stop.Token);
}
