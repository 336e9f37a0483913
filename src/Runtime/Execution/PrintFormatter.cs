using System.Globalization;
using System.Text;

namespace ProgMp.Runtime.Execution;

/// <summary>
/// PRINT's format (LANGUAGE.md, PRINT): each <c>%d</c> and <c>%u</c> becomes the value in signed decimal,
/// <c>%%</c> is a percent sign, any other <c>%</c> stays; without a value <c>%d</c>/<c>%u</c> stay as
/// written; trailing line breaks are dropped.
/// </summary>
internal static class PrintFormatter
{
    public static string Format(string format, long value, bool hasValue)
    {
        ArgumentNullException.ThrowIfNull(format);
        var end = format.Length;
        while (end > 0 && format[end - 1] is '\n' or '\r')
        {
            end--;
        }

        if (format.AsSpan(0, end).IndexOf('%') < 0)
        {
            return end == format.Length ? format : format[..end];
        }

        var text = new StringBuilder(end + 16);
        var number = hasValue ? value.ToString(CultureInfo.InvariantCulture) : null;
        for (var i = 0; i < end; i++)
        {
            var c = format[i];
            if (c == '%' && i + 1 < end)
            {
                var next = format[i + 1];
                if (next == '%')
                {
                    text.Append('%');
                    i++;
                    continue;
                }

                if (number is not null && next is 'd' or 'u')
                {
                    text.Append(number);
                    i++;
                    continue;
                }
            }

            text.Append(c);
        }

        return text.ToString();
    }
}
