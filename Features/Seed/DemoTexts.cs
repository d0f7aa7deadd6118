using System.Text;

namespace KoopidDashboard.Features.Seed;

/// <summary>
/// Message templates in en/es/fr/de. Placeholders in braces are filled by <see cref="DemoTexts.Fill"/>:
/// PII ({email} {phone} {card} {iban} {ssn} {ip} {url}) for the redactor to find, and look-alikes
/// ({order} {tracking} {amount} {date} {time} {version} {zip} {ref}) that it must keep.
/// </summary>
internal sealed record LangTexts(
    Dictionary<string, string[]> Openings,
    string[] FollowUps, string[] FollowUpsPii, string[] Thanks, string[] Angry,
    string[] BotGreeting, string[] BotAsk, string[] BotSolved, string[] BotEscalate, string[] BotStillThere,
    string[] AgentGreeting, string[] AgentReplies, string[] AgentClosing,
    string Joined, string Queued, string LeftQueue, string Closed, string TimedOut,
    string[] FirstNames, string[] LastNames);

internal static class DemoTexts
{
    public static readonly string[] Intents = ["billing", "order_status", "tech_support", "cancel", "sales", "password_reset"];

    public static readonly Dictionary<string, string[]> Topics = new()
    {
        ["billing"] = ["invoice", "refund", "payment_method", "double_charge"],
        ["order_status"] = ["delivery", "tracking", "missing_item", "address_change"],
        ["tech_support"] = ["login_error", "app_crash", "connectivity", "setup"],
        ["cancel"] = ["contract_end", "price", "moving", "competitor"],
        ["sales"] = ["upgrade", "new_plan", "pricing", "promotion"],
        ["password_reset"] = ["locked_account", "two_factor", "forgotten_password"],
    };

    public static readonly Dictionary<string, LangTexts> ByLanguage = new()
    {
        ["en"] = new(
            new()
            {
                ["billing"] = ["Hi, I was charged {amount} twice on my last invoice", "why is my bill {amount} this month?? it was way less before", "I need a copy of the invoice from {date} please"],
                ["order_status"] = ["where is my order {order}? it was supposed to arrive on {date}", "Tracking {tracking} hasn't moved in 4 days", "hello, my package {order} still not delivered"],
                ["tech_support"] = ["the app keeps crashing since the update to {version}", "I can't log in, it says error 403", "my internet drops every evening around {time}"],
                ["cancel"] = ["I want to cancel my subscription", "please close my account, I'm moving to zip {zip}", "how do I cancel? your prices went up again"],
                ["sales"] = ["do you have a cheaper plan than {amount} a month?", "I'd like to upgrade to the premium plan", "is the promo from {date} still valid?"],
                ["password_reset"] = ["I forgot my password and the reset email never arrives", "my account is locked after too many attempts", "2FA code not working, can you reset it"],
            },
            ["ok", "yes please", "no that's not it", "it's order {order}", "I already tried that twice", "the amount was {amount}", "since {date}", "hmm let me check", "reference {ref} if that helps"],
            ["my email is {email}", "you can reach me at {phone}", "call me back on {phone} after {time}", "card ending... actually the full number is {card}", "please refund to my IBAN {iban}", "my SSN is {ssn} if you need to verify", "it happens from IP {ip}", "see the screenshot here {url}", "new address email: {email}, phone {phone}"],
            ["thanks a lot!", "great, thank you", "perfect, that worked", "thx"],
            ["this is ridiculous", "I've been waiting forever", "worst service ever", "seriously??"],
            ["Hi! I'm {bot}, your virtual assistant. How can I help today?", "Hello 👋 I'm {bot}. What can I do for you?"],
            ["Could you give me your order or account number?", "Can you tell me a bit more about the problem?", "Is this about your latest invoice?"],
            ["Done! I've sorted that out for you. Anything else?", "Here's a link with the steps — let me know if it worked.", "Your request has been submitted. You'll get a confirmation shortly."],
            ["I'll connect you with a human agent, one moment please.", "Let me transfer you to our {queue} team."],
            ["Are you still there?", "I haven't heard from you — I'll close this chat soon."],
            ["Hi {name}, this is {agent}. I'm looking into it now.", "Hello {name}, {agent} here, thanks for waiting.", "Hi, {agent} from {queue}. Let me check your account."],
            ["I can see the issue on our side, fixing it now.", "I've issued a refund, it takes 3-5 business days.", "Could you confirm the order number for me?", "Please try again now and tell me if it works.", "I've escalated this to our technical team.", "Your order is with the courier and should arrive by {date}."],
            ["Is there anything else I can help with?", "Thanks for contacting us, have a great day!"],
            "{agent} joined the conversation", "Waiting for the next available agent in {queue}", "Customer left the queue", "Conversation closed", "Session timed out due to inactivity",
            ["James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "David", "Linda", "Aisha", "Kevin", "Emily", "Carlos", "Priya", "Rahul", "Anjali", "Vikram", "Olivia", "Jack", "Chloe", "Liam"],
            ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Taylor", "Sharma", "Patel", "Iyer", "Nguyen", "O'Brien", "Kelly", "Walker"]),
        ["es"] = new(
            new()
            {
                ["billing"] = ["Hola, me cobraron {amount} dos veces este mes", "¿por qué mi factura es de {amount}? 😤", "Necesito la factura del {date}, por favor"],
                ["order_status"] = ["¿Dónde está mi pedido {order}? Debía llegar el {date}", "el envío {tracking} no se mueve desde hace días", "mi paquete todavía no llegó"],
                ["tech_support"] = ["la aplicación se cierra sola desde la versión {version}", "no puedo entrar en mi cuenta", "se corta el internet todas las noches a las {time}"],
                ["cancel"] = ["Quiero darme de baja", "quiero cancelar el contrato, me mudo", "¿cómo cancelo? subieron los precios otra vez"],
                ["sales"] = ["¿Tienen alguna tarifa más barata?", "me interesa el plan premium", "¿sigue válida la oferta del {date}?"],
                ["password_reset"] = ["olvidé mi contraseña y no llega el correo", "mi cuenta está bloqueada", "el código de verificación no funciona"],
            },
            ["vale", "sí, por favor", "no, no es eso", "es el pedido {order}", "ya lo intenté dos veces", "el importe fue {amount}", "desde el {date}", "un momento"],
            ["mi correo es {email}", "mi teléfono es {phone}", "llámenme al {phone}", "devuélvanlo a mi IBAN {iban}", "la tarjeta es {card}", "aquí la captura: {url}", "me conecto desde la IP {ip}"],
            ["¡muchas gracias!", "genial, gracias", "perfecto 👍"],
            ["esto es una vergüenza", "llevo horas esperando", "pésimo servicio"],
            ["¡Hola! Soy {bot}, tu asistente virtual. ¿En qué puedo ayudarte?"],
            ["¿Me indicas tu número de pedido o de cliente?", "¿Puedes contarme un poco más?"],
            ["¡Listo! Ya está resuelto. ¿Algo más?", "Te envío un enlace con los pasos a seguir."],
            ["Te paso con un agente, un momento por favor.", "Te transfiero al equipo de {queue}."],
            ["¿Sigues ahí?"],
            ["Hola {name}, soy {agent}. Lo reviso ahora mismo.", "¡Buenas! Te atiende {agent}."],
            ["Ya veo el problema, lo estoy corrigiendo.", "He hecho el reembolso, tarda de 3 a 5 días hábiles.", "¿Me confirmas el número de pedido?", "Prueba otra vez y me dices.", "Tu pedido llegará el {date}."],
            ["¿Te puedo ayudar en algo más?", "Gracias por contactarnos, ¡buen día!"],
            "{agent} se unió a la conversación", "Esperando al próximo agente disponible en {queue}", "El cliente abandonó la cola", "Conversación cerrada", "Sesión cerrada por inactividad",
            ["José", "María", "Lucía", "Javier", "Carmen", "Alejandro", "Sofía", "Pablo", "Valentina", "Diego"],
            ["García", "Martínez", "López", "Sánchez", "Pérez", "Gómez", "Fernández", "Ruiz"]),
        ["fr"] = new(
            new()
            {
                ["billing"] = ["Bonjour, j'ai été débité deux fois de {amount}", "pourquoi ma facture est de {amount} ce mois-ci ?", "Je voudrais la facture du {date} svp"],
                ["order_status"] = ["Où en est ma commande {order} ? Livraison prévue le {date}", "le colis {tracking} ne bouge plus", "toujours pas reçu mon colis 😕"],
                ["tech_support"] = ["l'appli plante depuis la mise à jour {version}", "impossible de me connecter", "la connexion coupe tous les soirs vers {time}"],
                ["cancel"] = ["Je souhaite résilier mon abonnement", "je déménage, je veux fermer mon compte", "comment résilier ? les prix ont encore augmenté"],
                ["sales"] = ["Vous avez une offre moins chère ?", "je voudrais passer à l'offre premium", "la promo du {date} est-elle encore valable ?"],
                ["password_reset"] = ["j'ai oublié mon mot de passe", "mon compte est bloqué", "je ne reçois pas le code de vérification"],
            },
            ["d'accord", "oui merci", "non ce n'est pas ça", "c'est la commande {order}", "j'ai déjà essayé deux fois", "le montant était {amount}", "depuis le {date}"],
            ["mon email : {email}", "vous pouvez m'appeler au {phone}", "remboursez sur mon IBAN {iban} svp", "ma carte : {card}", "voici la capture {url}", "mon adresse IP est {ip}"],
            ["merci beaucoup !", "super, merci 🙏", "parfait"],
            ["c'est inadmissible", "j'attends depuis une éternité", "service nul"],
            ["Bonjour ! Je suis {bot}, votre assistant virtuel. Comment puis-je vous aider ?"],
            ["Pouvez-vous me donner votre numéro de commande ?", "Pouvez-vous préciser le problème ?"],
            ["C'est fait ! Autre chose ?", "Voici un lien avec les étapes à suivre."],
            ["Je vous mets en relation avec un conseiller.", "Je vous transfère à l'équipe {queue}."],
            ["Êtes-vous toujours là ?"],
            ["Bonjour {name}, ici {agent}. Je regarde tout de suite.", "Bonjour, {agent} à votre écoute."],
            ["Je vois le problème, je corrige.", "Le remboursement est fait, comptez 3 à 5 jours ouvrés.", "Pouvez-vous confirmer le numéro de commande ?", "Réessayez maintenant svp.", "Votre colis arrivera le {date}."],
            ["Puis-je vous aider pour autre chose ?", "Merci de nous avoir contactés, bonne journée !"],
            "{agent} a rejoint la conversation", "En attente du prochain conseiller disponible ({queue})", "Le client a quitté la file", "Conversation terminée", "Session expirée pour inactivité",
            ["Camille", "Louis", "Chloé", "Hugo", "Léa", "Lucas", "Manon", "Jules", "Inès", "Gabriel"],
            ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit", "Durand", "Lefèvre"]),
        ["de"] = new(
            new()
            {
                ["billing"] = ["Hallo, mir wurden {amount} doppelt abgebucht", "warum ist meine Rechnung diesen Monat {amount}?", "Ich brauche die Rechnung vom {date}"],
                ["order_status"] = ["Wo bleibt meine Bestellung {order}? Lieferung war für den {date} angekündigt", "Sendung {tracking} hängt seit Tagen im Paketzentrum", "paket immer noch nicht da 😡"],
                ["tech_support"] = ["Die App stürzt seit dem Update auf {version} ständig ab", "ich kann mich nicht anmelden", "Internet bricht jeden Abend gegen {time} ab"],
                ["cancel"] = ["Ich möchte meinen Vertrag kündigen", "wir ziehen um nach {zip}, bitte Konto schließen", "wie kann ich kündigen? Preise schon wieder erhöht"],
                ["sales"] = ["Gibt es einen günstigeren Tarif?", "ich würde gern auf Premium upgraden", "gilt das Angebot vom {date} noch?"],
                ["password_reset"] = ["Passwort vergessen und die Reset-Mail kommt nicht an", "mein Konto ist gesperrt", "der Bestätigungscode funktioniert nicht"],
            },
            ["ok", "ja bitte", "nein, das ist es nicht", "es geht um Bestellung {order}", "hab ich schon zweimal versucht", "der Betrag war {amount}", "seit dem {date}"],
            ["meine E-Mail ist {email}", "erreichbar unter {phone}", "bitte auf mein Konto {iban} erstatten", "Kreditkarte: {card}", "Screenshot: {url}", "meine IP ist {ip}"],
            ["vielen Dank!", "super, danke 👍", "passt, hat geklappt"],
            ["das ist eine Frechheit", "ich warte schon ewig", "unmöglicher Service"],
            ["Hallo! Ich bin {bot}, Ihr digitaler Assistent. Wie kann ich helfen?"],
            ["Können Sie mir Ihre Bestell- oder Kundennummer nennen?", "Können Sie das Problem genauer beschreiben?"],
            ["Erledigt! Kann ich sonst noch helfen?", "Hier ist ein Link mit einer Anleitung."],
            ["Ich verbinde Sie mit einem Mitarbeiter.", "Ich leite Sie an das Team {queue} weiter."],
            ["Sind Sie noch da?"],
            ["Hallo {name}, hier ist {agent}. Ich schaue mir das gleich an.", "Guten Tag, Sie sprechen mit {agent}."],
            ["Ich sehe das Problem und behebe es.", "Die Gutschrift ist veranlasst, das dauert 3–5 Werktage.", "Können Sie mir die Bestellnummer bestätigen?", "Bitte versuchen Sie es jetzt noch einmal.", "Ihr Paket kommt am {date}."],
            ["Kann ich sonst noch etwas für Sie tun?", "Danke für Ihre Anfrage, schönen Tag noch!"],
            "{agent} ist dem Gespräch beigetreten", "Warten auf den nächsten freien Mitarbeiter ({queue})", "Kunde hat die Warteschlange verlassen", "Gespräch beendet", "Sitzung wegen Inaktivität beendet",
            ["Lukas", "Anna", "Jonas", "Lena", "Felix", "Marie", "Paul", "Sophie", "Jürgen", "Ayşe"],
            ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Yılmaz"]),
    };

    private static readonly string[] HappyEmoji = ["🙂", "😊", "🙏", "👍", "🎉", "❤️"];
    private static readonly string[] UnhappyEmoji = ["😡", "😤", "🙄", "😕", "😩"];

    /// <summary>Sometimes garbles one word (swap, drop or double a letter) like people type on phones.</summary>
    public static string Typo(Random r, string text)
    {
        string[] words = text.Split(' ');
        var candidates = Enumerable.Range(0, words.Length).Where(i => words[i].Length >= 4 && words[i].All(char.IsLetter)).ToArray();
        if (candidates.Length == 0) return text;
        int w = candidates[r.Next(candidates.Length)];
        var sb = new StringBuilder(words[w]);
        int p = r.Next(1, sb.Length - 1);
        switch (r.Next(3))
        {
            case 0: (sb[p], sb[p + 1]) = (sb[p + 1], sb[p]); break;
            case 1: sb.Remove(p, 1); break;
            default: sb.Insert(p, sb[p]); break;
        }
        words[w] = sb.ToString();
        return string.Join(' ', words);
    }

    public static string Emoji(Random r, bool happy) => DemoPii.Pick(r, happy ? HappyEmoji : UnhappyEmoji);

    /// <summary>Replaces placeholders; country drives phone and IBAN formats, brand the URLs.</summary>
    public static string Fill(Random r, string template, FillContext c)
    {
        if (!template.Contains('{', StringComparison.Ordinal)) return template;
        var sb = new StringBuilder(template.Length + 32);
        int i = 0;
        while (i < template.Length)
        {
            int open = template.IndexOf('{', i);
            if (open < 0) { sb.Append(template, i, template.Length - i); break; }
            int close = template.IndexOf('}', open);
            sb.Append(template, i, open - i);
            string key = template[(open + 1)..close];
            sb.Append(key switch
            {
                "email" => DemoPii.Email(r, DemoPii.Pick(r, c.Texts.FirstNames), DemoPii.Pick(r, c.Texts.LastNames)),
                "phone" => DemoPii.Phone(r, c.Country, international: r.Next(2) == 0),
                "card" => DemoPii.CreditCard(r),
                "iban" => DemoPii.Iban(r, c.Country is "US" or "IN" or "AU" ? "GB" : c.Country),
                "ssn" => DemoPii.Ssn(r),
                "ip" => DemoPii.Ip(r),
                "url" => DemoPii.Url(r, c.BrandDomain),
                "order" => DemoPii.OrderNumber(r),
                "tracking" => DemoPii.Tracking(r),
                "amount" => DemoPii.Amount(r, c.Language),
                "date" => DemoPii.Date(r, c.Language),
                "time" => DemoPii.Time(r),
                "version" => DemoPii.Version(r),
                "zip" => DemoPii.PostalCode(r),
                "ref" => DemoPii.NotACard(r),
                "name" => c.CustomerFirstName ?? "",
                "agent" => c.AgentName ?? "",
                "queue" => c.QueueName ?? "",
                "bot" => c.BotName ?? "",
                _ => "{" + key + "}",
            });
            i = close + 1;
        }
        return sb.ToString().Replace("  ", " ", StringComparison.Ordinal).Replace(" ,", ",", StringComparison.Ordinal).Trim();
    }
}

/// <summary>What a template needs to know about the conversation it is filled for.</summary>
internal sealed record FillContext(LangTexts Texts, string Language, string Country, string BrandDomain)
{
    public string? CustomerFirstName { get; init; }
    public string? AgentName { get; init; }
    public string? QueueName { get; init; }
    public string? BotName { get; init; }
}
