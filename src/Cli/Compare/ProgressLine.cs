using System.Globalization;

namespace ProgMp.Cli.Compare;

/// <summary>
/// Where compare says how far it is. On a terminal: one line, redrawn in place with the elapsed time and
/// cleared at the end. Redirected: one whole line per run as it starts, so a log or a pipe reads clean.
/// </summary>
internal sealed class ProgressLine : IDisposable
{
    private static readonly TimeSpan Redraw = TimeSpan.FromMilliseconds(250);

    private readonly TextWriter _output;
    private readonly bool _live;
    private readonly Lock _gate = new();
    private readonly Timer? _timer;
    private string _text = "";
    private DateTime _since;

    public ProgressLine(TextWriter output, bool live)
    {
        _output = output;
        _live = live;
        _timer = live ? new Timer(_ => Draw(), null, Redraw, Redraw) : null;
    }

    /// <summary>True when <paramref name="output"/> is the process's standard error on a terminal that can redraw a line.</summary>
    public static bool CanRedraw(TextWriter output) =>
        ReferenceEquals(output, Console.Error) && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") is not "dumb";

    public void Starting(int index, int total, string scheduler, string scenario, int repeat, int repeats)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"[{index}/{total}] {scheduler} on {scenario}, repeat {repeat}/{repeats}");
        lock (_gate)
        {
            _text = text;
            _since = DateTime.UtcNow;
            if (!_live)
            {
                _output.WriteLine(text);
            }
        }

        Draw();
    }

    public void Dispose()
    {
        _timer?.Dispose();
        lock (_gate)
        {
            if (_live)
            {
                _output.Write("\r\u001b[K");
                _output.Flush();
            }

            _text = "";
        }
    }

    private void Draw()
    {
        lock (_gate)
        {
            if (!_live || _text.Length == 0)
            {
                return;
            }

            _output.Write(string.Create(CultureInfo.InvariantCulture, $"\r\u001b[K{_text}, {(DateTime.UtcNow - _since).TotalSeconds:0.0} s"));
            _output.Flush();
        }
    }
}
