using System.Text.Json;

namespace ProgMp.Cli.Compare;

/// <summary>The report as JSON (docs/compare.md, "JSON"): what was compared, a summary per scheduler and scenario, and every run's own figures.</summary>
internal static class CompareJsonWriter
{
    public static void Write(CompareReport report, Stream output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("repeats", report.Repeats);
        json.WriteStartArray("schedulers");
        foreach (var scheduler in report.Schedulers)
        {
            json.WriteStringValue(scheduler);
        }

        json.WriteEndArray();
        json.WriteStartArray("scenarios");
        foreach (var scenario in report.Scenarios)
        {
            json.WriteStartObject();
            json.WriteString("name", scenario.Name);
            json.WriteString("description", scenario.Description);
            json.WriteString("source", scenario.Source);
            json.WriteNumber("duration_s", scenario.Duration.TotalSeconds);
            json.WriteStartArray("workloads");
            foreach (var workload in scenario.Workloads)
            {
                json.WriteStringValue(workload.Name);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("results");
        foreach (var row in report.Rows)
        {
            json.WriteStartObject();
            json.WriteString("scheduler", row.Scheduler);
            json.WriteString("scenario", row.Scenario);
            json.WriteNumber("runs", row.Runs);
            json.WriteNumber("completed", row.Completed);
            json.WriteStartArray("problems");
            foreach (var problem in row.Problems)
            {
                json.WriteStringValue(problem);
            }

            json.WriteEndArray();
            json.WriteStartObject("metrics");
            foreach (var metric in CompareMetric.All)
            {
                if (row.Metrics[metric.Key] is { } summary)
                {
                    json.WriteStartObject(metric.Key);
                    json.WriteNumber("median", summary.Median);
                    json.WriteNumber("min", summary.Min);
                    json.WriteNumber("max", summary.Max);
                    json.WriteEndObject();
                }
                else
                {
                    json.WriteNull(metric.Key);
                }
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("runs");
        foreach (var run in report.Runs)
        {
            json.WriteStartObject();
            json.WriteString("scheduler", run.Scheduler);
            json.WriteString("scenario", run.Scenario);
            json.WriteNumber("repeat", run.Repeat + 1);
            json.WriteString("problem", run.Problem);
            json.WriteNumber("elapsed_s", run.Elapsed.TotalSeconds);
            json.WriteStartObject("metrics");
            foreach (var metric in CompareMetric.All)
            {
                if (metric.Select(run.Metrics) is { } value)
                {
                    json.WriteNumber(metric.Key, value);
                }
                else
                {
                    json.WriteNull(metric.Key);
                }
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
