namespace KoopidDashboard.Features.Dashboard.TopWords;

/// <summary>
/// Compact stop-word lists (about 100 per language) for the four languages of SPEC §7, lower-case, apostrophes as
/// U+0027. Function words only: pronouns, articles, prepositions, conjunctions, auxiliaries and the commonest adverbs.
/// </summary>
public static class StopWords
{
    public const string English = """
        a about above after again all also am an and any are aren't as at be because been before being below between both but by
        can can't could couldn't did didn't do does doesn't doing don't down during each few for from further had hadn't has hasn't
        have haven't having he her here hers herself him himself his how i i'd i'll i'm i've if in into is isn't it it's its itself
        just let's me more most my myself no nor not now of off on once only or other our ours ourselves out over own same she
        should so some such than that that's the their theirs them themselves then there there's these they they're this those
        through to too under until up very was wasn't we we're were what when where which while who whom why will with won't would
        you you're your yours yourself ok okay yes hi hello please thanks thank
        """;

    public const string Spanish = """
        a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e el ella ellas ellos en entre
        era eres es esa esas ese eso esos esta estaba estado estamos estan estar estas este esto estos estoy fue fueron ha hace
        hasta hay he la las le les lo los me mi mis mucho muy más mí nada ni no nos nosotros o os otra otro para pero poco por
        porque que quien qué se sea ser si sido sin sobre somos son soy su sus también tanto te tengo tiene tienen todo todos tu
        tus tú un una uno unos usted ustedes vosotros y ya yo él está están sí hola gracias por favor bueno
        """;

    public const string French = """
        a ai au aux avec avez avons bien c'est ce cela ces cet cette ceux comme dans de des du elle elles en encore est et eu être
        fait il ils j'ai je la le les leur leurs lui ma mais me mes moi mon même ne nos notre nous on ont ou où par pas plus pour
        qu'il que qui sa sans se ses si son sont suis sur ta te tes toi ton tous tout tu un une vos votre vous y à ça été était
        c'était n'est d'un d'une l'on s'il aussi alors donc très peu non oui bonjour merci voici voilà car ni avoir faire cet
        quand quel quelle chez après avant depuis entre sous vers
        """;

    public const string German = """
        aber alle allem allen aller alles als also am an ans auch auf aus bei beim bin bis bist da damit dann das dass dein deine
        dem den der des dich die dies diese diesem diesen dieser dir doch du durch ein eine einem einen einer eines er es euch
        euer für gegen habe haben hat hatte ich ihm ihn ihnen ihr ihre im in ist ja jede jetzt kann kein keine mein meine mich
        mir mit muss nach nicht nichts noch nun nur ob oder ohne sehr sein seine sich sie sind so soll über um und uns unser
        unter vom von vor war waren was weil wenn wer wie wir wird wo zu zum zur hallo danke bitte gut schon
        """;

    public static readonly HashSet<string> All = new(
        new[] { English, Spanish, French, German }.SelectMany(list => list.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)),
        StringComparer.Ordinal);
}
