using ScottPlot;

namespace ProgMp.Cli;

/// <summary>The typeface of every PNG the tool draws (the demo's plot, compare's plots).</summary>
internal static class PlotFonts
{
    // ScottPlot's own pick for "sans" can land on a serif face on Linux; the first of these that exists
    // reads better (a missing family resolves to a fallback, hence the name check).
    private static readonly string[] s_sansFonts = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica"];

    public static void Apply(Plot plot)
    {
        if (s_sansFonts.FirstOrDefault(f => Fonts.GetTypeface(f, bold: false, italic: false).FamilyName == f) is { } font)
        {
            plot.Font.Set(font);
        }
    }
}
