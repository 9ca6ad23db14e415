using System.Text;

namespace Agentry.JsonSchema.Tests.Suite;

/// <summary>The official JSON-Schema-Test-Suite, one theory case per test.</summary>
public sealed class SuiteTests
{
    public static IEnumerable<TheoryDataRow<string, int>> Required() => Rows(c => !c.File.StartsWith("optional/", StringComparison.Ordinal));

    public static IEnumerable<TheoryDataRow<string, int>> Optional() => Rows(c => c.File.StartsWith("optional/", StringComparison.Ordinal));

    private static IEnumerable<TheoryDataRow<string, int>> Rows(Func<SuiteCase, bool> filter)
    {
        var cases = SuiteData.Cases;
        for (var i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            if (!filter(c))
            {
                continue;
            }

            yield return new TheoryDataRow<string, int>(c.Id, i)
            {
                TestDisplayName = c.Id,
                Skip = SuiteExceptions.ReasonFor(c),
            };
        }
    }

    [Theory]
    [MemberData(nameof(Required))]
    public void Required_test_passes(string id, int index) => Check(id, index);

    [Theory]
    [MemberData(nameof(Optional))]
    public void Optional_test_passes(string id, int index) => Check(id, index);

    private static void Check(string id, int index)
    {
        var c = SuiteData.Cases[index];
        c.Id.ShouldBe(id);
        SuiteData.Run(c).ShouldBeNull(id);
    }

    [Fact]
    public void Summary_per_file()
    {
        var output = new StringBuilder();
        var unexpected = new List<string>();
        foreach (var draft in SuiteData.Cases.GroupBy(c => c.Draft))
        {
            int passed = 0, failed = 0, excepted = 0;
            foreach (var file in draft.GroupBy(c => c.File))
            {
                int p = 0, f = 0, x = 0;
                foreach (var c in file)
                {
                    var failure = SuiteData.Run(c);
                    if (failure is null)
                    {
                        p++;
                    }
                    else if (SuiteExceptions.ReasonFor(c) is not null)
                    {
                        x++;
                    }
                    else
                    {
                        f++;
                        unexpected.Add($"{c.Id}: {failure}");
                    }
                }

                output.AppendLine($"{draft.Key}/{file.Key}: {p} passed, {f} failed, {x} excepted");
                passed += p;
                failed += f;
                excepted += x;
            }

            output.AppendLine($"== {draft.Key}: {passed} passed, {failed} failed, {excepted} excepted");
        }

        TestContext.Current.TestOutputHelper?.WriteLine(output.ToString());
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "suite-summary.txt"), output + string.Join(Environment.NewLine, unexpected));
        unexpected.ShouldBeEmpty();
    }
}
