using System.Text.Json;
using System.Text.RegularExpressions;
using ProgMp.Cli.Tests.Support;
using ProgMp.Compiler;

namespace ProgMp.Cli.Tests;

/// <summary>
/// Keeps docs/language.md honest: every example program compiles as the text says, and every console
/// transcript is what <c>progmp</c> prints today. The commands run in-process through the same entry
/// point as the <c>progmp</c> process, which keeps this fast; the files a transcript uses are the
/// named blocks (<c>```progmp first.progmp</c>, <c>```json state.json</c>) above it.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public partial class LanguageDocumentTests
{
    private static readonly SchedulerCompiler s_compiler = new();

    public static IEnumerable<TestCaseData> ConsoleBlocks()
    {
        var fences = Fences();
        for (var i = 0; i < fences.Count; i++)
        {
            if (fences[i].Language == "console")
            {
                yield return new TestCaseData(i).SetName($"console block at line {fences[i].StartLine}: {fences[i].Lines[0]}");
            }
        }
    }

    [Test]
    public void Every_example_program_compiles_without_diagnostics_unless_its_check_output_is_shown()
    {
        var fences = Fences();
        var checkedByTranscript = fences
            .Where(f => f.Language == "console")
            .SelectMany(f => f.Lines)
            .Where(line => line.StartsWith("$ progmp check ", StringComparison.Ordinal))
            .SelectMany(line => line["$ progmp check ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);
        var programs = fences.Where(f => f.Language == "progmp").ToList();
        Assert.That(programs, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var program in programs)
            {
                Assert.That(program.Name, Is.Not.Null.And.EndsWith(".progmp"), $"the progmp block at line {program.StartLine} needs a file name");
                if (checkedByTranscript.Contains(program.Name!))
                {
                    continue;
                }

                var diagnostics = s_compiler.Compile(program.Text, program.Name!).Diagnostics;
                Assert.That(diagnostics.Select(d => d.ToString()), Is.Empty, $"{program.Name} at line {program.StartLine}");
            }
        });
    }

    [Test]
    public void Every_json_block_is_valid_json()
    {
        Assert.Multiple(() =>
        {
            foreach (var json in Fences().Where(f => f.Language == "json"))
            {
                Assert.DoesNotThrow(() => JsonDocument.Parse(json.Text).Dispose(), $"the json block at line {json.StartLine}");
            }
        });
    }

    [TestCaseSource(nameof(ConsoleBlocks))]
    public async Task A_console_transcript_is_what_progmp_prints(int index)
    {
        var fences = Fences();
        using var directory = new TemporaryDirectory();
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var fence in fences.Take(index).Where(f => f.Name is not null))
        {
            files[fence.Name!] = directory.Write(fence.Name!, fence.Text);
        }

        var expected = new List<string>();
        var actual = new List<string>();
        var exitCode = 0;
        foreach (var line in fences[index].Lines)
        {
            if (!line.StartsWith("$ ", StringComparison.Ordinal))
            {
                expected.Add(line);
                continue;
            }

            expected.Add(line);
            actual.Add(line);
            var command = line[2..];
            if (command == "echo $?")
            {
                actual.Add(exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
                continue;
            }

            // Only the verbs this document is about; anything else in a transcript would go untested.
            var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(words[0], Is.EqualTo("progmp"), line);
            Assert.That(words[1], Is.AnyOf("check", "eval"), line);
            var arguments = words.Skip(1).Select(w => files.TryGetValue(w, out var path) ? path : w).ToArray();

            // One writer for both streams: the transcript shows them interleaved, as a terminal does.
            using var output = new StringWriter();
            exitCode = await ProgMpCommand.RunAsync(arguments, output, output);
            actual.AddRange(Lines(output.ToString().Replace(directory.Path + Path.DirectorySeparatorChar, "", StringComparison.Ordinal)));
        }

        Assert.That(string.Join('\n', actual), Is.EqualTo(string.Join('\n', expected.Select(l => l.TrimEnd()))));
    }

    [Test]
    public void Every_relative_link_of_the_document_leads_to_a_file_and_every_anchor_to_a_heading()
    {
        var markdown = File.ReadAllText(DocumentPath());
        var docs = Path.GetDirectoryName(DocumentPath())!;
        var anchors = Heading().Matches(markdown).Select(m => Anchor(m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);
        Assert.Multiple(() =>
        {
            foreach (Match link in Link().Matches(markdown))
            {
                var target = link.Groups[1].Value;
                if (target.StartsWith('#'))
                {
                    Assert.That(anchors, Does.Contain(target[1..]), target);
                }
                else if (!target.Contains("://", StringComparison.Ordinal))
                {
                    var path = Path.Combine(docs, target.Split('#')[0]);
                    Assert.That(File.Exists(path) || Directory.Exists(path), Is.True, target);
                }
            }
        });
    }

    [TestCase("eval")]
    [TestCase("check")]
    public async Task The_help_of_a_verb_points_to_the_language_reference(string verb)
    {
        using var output = new StringWriter();
        await ProgMpCommand.RunAsync([verb, "--help"], output, output);
        Assert.That(output.ToString(), Does.Contain("docs/language.md"));
    }

    private static IReadOnlyList<MarkdownFence> Fences() => MarkdownFences.Read(File.ReadAllText(DocumentPath()));

    private static string DocumentPath() => Path.Combine(SchedulerLibraryTests.RepositoryRoot(), "docs", "language.md");

    private static IEnumerable<string> Lines(string text) =>
        text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n').Select(l => l.TrimEnd());

    /// <summary>GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens.</summary>
    private static string Anchor(string heading) =>
        AnchorDropped().Replace(heading.Trim().ToLowerInvariant(), "").Replace(' ', '-');

    [GeneratedRegex(@"^#+ (.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"[^a-z0-9 _-]")]
    private static partial Regex AnchorDropped();
}
