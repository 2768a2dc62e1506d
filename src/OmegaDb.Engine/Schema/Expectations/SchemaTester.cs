namespace OmegaDb.Schema.Expectations;

/// <summary>Test-OmegaSchema: a schema against an expectation, or against a reference schema.</summary>
public static class SchemaTester
{
    /// <param name="target">What was tested (a database's name, a file), copied to each result.</param>
    public static IReadOnlyList<OmegaSchemaTestResult> Test(OmegaSchema actual, SchemaExpectation expectation, string target)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(expectation);
        return new ExpectationChecker(actual, target ?? string.Empty).Check(expectation);
    }

    /// <summary>
    /// No difference allowed: one failed result per difference <see cref="SchemaComparer"/>
    /// finds, worded from the reference's side (Expected is the reference's value), or one
    /// passed result naming the reference's fingerprint.
    /// </summary>
    public static IReadOnlyList<OmegaSchemaTestResult> TestReference(OmegaSchema actual, OmegaSchema reference, string target)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(reference);
        target ??= string.Empty;

        var changes = SchemaComparer.Compare(reference, actual);
        if (changes.Count == 0)
        {
            var fingerprint = Prefix(reference.Fingerprint.Length > 0 ? reference.Fingerprint : SchemaFingerprint.Compute(reference));
            var actualFingerprint = Prefix(actual.Fingerprint.Length > 0 ? actual.Fingerprint : SchemaFingerprint.Compute(actual));
            return [new OmegaSchemaTestResult
            {
                Target = target, Assertion = $"Schema matches reference {fingerprint}", Expected = fingerprint, Actual = actualFingerprint, Passed = true,
            }];
        }

        return changes.Select(change => Describe(change, target)).ToList();
    }

    private static OmegaSchemaTestResult Describe(OmegaSchemaChange change, string target)
    {
        var kind = ExpectationText.Label(change.ObjectType);
        var (assertion, expected, actual) = change.Change switch
        {
            SchemaChangeKind.Added => ($"{kind} {change.Name} is absent", ExpectationText.Absent, ExpectationText.Present),
            SchemaChangeKind.Removed => ($"{kind} {change.Name} exists", ExpectationText.Present, ExpectationText.Missing),
            _ => ($"{kind} {change.Name} has the reference {change.Property}", change.ReferenceValue ?? ExpectationText.None, change.DifferenceValue ?? ExpectationText.None),
        };
        return new OmegaSchemaTestResult { Target = target, Assertion = assertion, Expected = expected, Actual = actual, Passed = false };
    }

    private static string Prefix(string fingerprint) => fingerprint[..Math.Min(12, fingerprint.Length)];
}
