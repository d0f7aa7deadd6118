namespace KoopidDashboard.Infrastructure.Redaction;

/// <summary>A candidate entity found by one recogniser: <c>[Start, Start + Length)</c> in the input.</summary>
internal readonly record struct EntitySpan(int Start, int Length, string Type)
{
    public int End => Start + Length;

    public bool Overlaps(EntitySpan other) => Start < other.End && other.Start < End;
}
