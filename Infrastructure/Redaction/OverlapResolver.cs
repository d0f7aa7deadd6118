namespace KoopidDashboard.Infrastructure.Redaction;

/// <summary>
/// Picks one entity per stretch of text when recognisers disagree. The longest span wins
/// (a URL that contains an e-mail or an IP is one URL; an IBAN is not also a phone number);
/// on equal length the more specific type wins, in <see cref="EntityTypes.All"/> order
/// (e.g. "123-45-6789" is an SSN before it is a phone number).
/// </summary>
internal static class OverlapResolver
{
    public static List<EntitySpan> Resolve(List<EntitySpan> candidates)
    {
        candidates.Sort(static (a, b) =>
        {
            var byLength = b.Length.CompareTo(a.Length);
            return byLength != 0 ? byLength : Rank(a.Type).CompareTo(Rank(b.Type));
        });

        var chosen = new List<EntitySpan>(candidates.Count);
        foreach (var candidate in candidates)
        {
            if (!chosen.Exists(c => c.Overlaps(candidate)))
            {
                chosen.Add(candidate);
            }
        }

        chosen.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        return chosen;
    }

    private static int Rank(string type)
    {
        var all = EntityTypes.All;
        for (var i = 0; i < all.Count; i++)
        {
            if (ReferenceEquals(all[i], type) || all[i] == type)
            {
                return i;
            }
        }

        return all.Count;
    }
}
