namespace ProgMp.Engine.Benchmarks;

/// <summary>What one echo run carried in its measured window, in Mbit/s: to the server, and back to the client (0 one way).</summary>
internal readonly record struct EchoRates(double ToServerMbit, double BackMbit)
{
    public static EchoRates operator +(EchoRates a, EchoRates b) => new(a.ToServerMbit + b.ToServerMbit, a.BackMbit + b.BackMbit);
}
