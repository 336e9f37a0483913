using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace ProgMp.Engine;

/// <summary>
/// The members of a statistics record as its <c>ToString</c> shows them, lists with their elements
/// (a record's own printing shows a list's type name). Every public property, found by reflection, so
/// that a member added later prints too; statistics are read now and then, never per packet.
/// </summary>
internal static class StatisticsText
{
    public static bool AppendMembers(object record, StringBuilder builder)
    {
        var first = true;
        foreach (var property in record.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            builder.Append(first ? "" : ", ").Append(property.Name).Append(" = ");
            AppendValue(builder, property.GetValue(record));
            first = false;
        }

        return true;
    }

    private static void AppendValue(StringBuilder builder, object? value)
    {
        switch (value)
        {
            case null:
                builder.Append("null");
                break;
            case string text:
                builder.Append(text);
                break;
            case IEnumerable items:
                builder.Append('[');
                var first = true;
                foreach (var item in items)
                {
                    builder.Append(first ? "" : ", ");
                    AppendValue(builder, item);
                    first = false;
                }

                builder.Append(']');
                break;
            case IFormattable formattable:
                builder.Append(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                builder.Append(value);
                break;
        }
    }
}
