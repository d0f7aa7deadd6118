namespace KoopidDashboard.Tests.Infrastructure.Redaction;

/// <summary>
/// Sentence fragments for the generated corpus, per language. "{v}" is where the value goes.
/// Keys are entity types, "PHONE_CTX" (a phone fragment with a phone word, used for bare-digit
/// numbers) or a look-alike category from <see cref="CorpusLookalikes.Categories"/>.
/// </summary>
internal static class CorpusTemplates
{
    public static readonly string[] Emoji = ["🙂", "😡", "🙏", "👍", "📦", "😅", "🚚", "❤️", "🤔", "😂", "🇪🇸", "🇫🇷", "🇩🇪", "💳"];

    public static readonly IReadOnlyDictionary<string, string[]> Openers = new Dictionary<string, string[]>
    {
        ["en"] = ["Hi,", "Hello team", "hey", "Good morning!", "URGENT:", "Hi there,", ""],
        ["es"] = ["Hola,", "Buenos días", "buenas", "Hola equipo!", "URGENTE:", "Estimados,", ""],
        ["fr"] = ["Bonjour,", "Salut", "bonsoir", "Madame, Monsieur,", "URGENT :", "Coucou", ""],
        ["de"] = ["Hallo,", "Guten Tag", "hi", "Sehr geehrte Damen und Herren,", "DRINGEND:", "Moin", ""],
    };

    public static readonly IReadOnlyDictionary<string, string[]> Closers = new Dictionary<string, string[]>
    {
        ["en"] = ["Thanks!", "cheers", "Thank you in advance.", "Regards, Sam", "pls help", ""],
        ["es"] = ["Gracias!", "Saludos.", "Un saludo, Marta", "gracias de antemano", "ayuda porfa", ""],
        ["fr"] = ["Merci !", "Cordialement.", "Bonne journée, Luc", "merci d'avance", "svp aidez-moi", ""],
        ["de"] = ["Danke!", "Viele Grüße", "MfG, Jonas", "Vielen Dank im Voraus.", "bitte um Hilfe", ""],
    };

    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string[]>> Fragments =
        new Dictionary<string, IReadOnlyDictionary<string, string[]>>
        {
            ["en"] = new Dictionary<string, string[]>
            {
                ["yearref"] = ["order {v} is late", "my case number is {v}"],
                ["mac"] = ["device MAC {v}", "router mac {v}"],
                ["ticket"] = ["ticket {v} still open", "PO {v} was approved"],
                ["EMAIL"] = ["my email is {v}", "please reply to {v}.", "you can write to {v} anytime", "the account email ({v}) is wrong", "send the receipt to {v}!"],
                ["PHONE_NUMBER"] = ["reach me on {v}", "my number changed to {v}.", "{v} is the best number", "phone: {v}", "or try {v} after 6pm"],
                ["PHONE_CTX"] = ["call me at {v}", "my phone is {v}", "text me on {v} pls", "cell {v}"],
                ["CREDIT_CARD"] = ["I paid with card {v}", "charge it to {v} please", "my card number is {v}.", "the card ending was {v}"],
                ["US_SSN"] = ["my SSN is {v}", "ssn: {v}", "social security number {v} for the tax form", "SSN {v}."],
                ["IBAN_CODE"] = ["refund to IBAN {v}", "my bank account is {v}.", "IBAN: {v}", "please wire it to {v} asap"],
                ["IP_ADDRESS"] = ["login failed from {v}", "my IP is {v}.", "the server at {v} is down", "blocked ip {v}"],
                ["URL"] = ["see {v}", "the link {v} doesn't work", "I found it on {v}.", "check {v} for details"],
                ["order"] = ["order {v} hasn't arrived", "where is my order {v}?"],
                ["tracking"] = ["tracking number {v}", "UPS says {v} is delayed"],
                ["date"] = ["delivery was due {v}", "ordered on {v}"],
                ["time"] = ["the courier came at {v}", "meeting at {v}"],
                ["amount"] = ["you charged me {v} twice", "total was {v}"],
                ["version"] = ["the app is on {v}", "after updating to {v} it crashes"],
                ["postal"] = ["my postcode is {v}", "ship to zip {v}"],
                ["longnum"] = ["reference {v}", "the voucher code {v} is invalid"],
                ["invoice"] = ["invoice {v} is missing", "about invoice {v}"],
                ["percent"] = ["the {v} discount didn't apply", "battery at {v}"],
                ["ean"] = ["barcode {v}", "EAN {v} is out of stock"],
                ["ref"] = ["ref {v}", "case {v} still open"],
                ["account"] = ["customer id {v}", "account {v}"],
                ["ipversion"] = ["running version {v}", "firmware {v} installed"],
            },
            ["es"] = new Dictionary<string, string[]>
            {
                ["yearref"] = ["el pedido {v} llega tarde", "mi expediente es {v}"],
                ["mac"] = ["MAC del equipo {v}", "mac del router {v}"],
                ["ticket"] = ["ticket {v} sigue abierto", "albarán {v}"],
                ["EMAIL"] = ["mi correo es {v}", "escribidme a {v}.", "el email de la cuenta ({v}) está mal", "mandad la factura a {v}!", "correo: {v}"],
                ["PHONE_NUMBER"] = ["mi número nuevo es {v}", "contestadme al {v}.", "{v} es mi fijo", "tlf {v}", "o al {v} por la tarde"],
                ["PHONE_CTX"] = ["llamadme al {v}", "mi móvil es {v}", "whatsapp {v}", "teléfono {v}"],
                ["CREDIT_CARD"] = ["pagué con la tarjeta {v}", "mi tarjeta es {v}.", "cobradlo en {v} porfa", "tarjeta {v}"],
                ["US_SSN"] = ["mi SSN de EEUU es {v}", "número de seguro social {v}", "SSN: {v}."],
                ["IBAN_CODE"] = ["devolvedlo al IBAN {v}", "mi cuenta es {v}.", "IBAN: {v}", "transferencia a {v} por favor"],
                ["IP_ADDRESS"] = ["no puedo entrar desde {v}", "mi IP es {v}.", "el servidor {v} no responde", "IP bloqueada {v}"],
                ["URL"] = ["mirad {v}", "el enlace {v} no funciona", "lo vi en {v}.", "entrad en {v}"],
                ["order"] = ["el pedido {v} no ha llegado", "¿dónde está mi pedido {v}?"],
                ["tracking"] = ["número de seguimiento {v}", "el envío {v} va con retraso"],
                ["date"] = ["la entrega era el {v}", "pedido el {v}"],
                ["time"] = ["el repartidor vino a las {v}", "cita a las {v}"],
                ["amount"] = ["me cobrasteis {v} dos veces", "el total fue {v}"],
                ["version"] = ["tengo la app en la {v}", "desde la {v} se cuelga"],
                ["postal"] = ["mi código postal es {v}", "enviar al CP {v}"],
                ["longnum"] = ["referencia {v}", "el código regalo {v} no vale"],
                ["invoice"] = ["falta la factura {v}", "sobre la factura {v}"],
                ["percent"] = ["el descuento del {v} no se aplicó", "batería al {v}"],
                ["ean"] = ["código de barras {v}", "EAN {v} agotado"],
                ["ref"] = ["ref. {v}", "incidencia {v} sigue abierta"],
                ["account"] = ["cliente {v}", "cuenta interna {v}"],
                ["ipversion"] = ["tengo la versión {v}", "firmware {v} instalado"],
            },
            ["fr"] = new Dictionary<string, string[]>
            {
                ["yearref"] = ["la commande {v} est en retard", "mon dossier est {v}"],
                ["mac"] = ["adresse MAC {v}", "mac de la box {v}"],
                ["ticket"] = ["ticket {v} toujours ouvert", "bon de livraison {v}"],
                ["EMAIL"] = ["mon e-mail est {v}", "répondez à {v}.", "l'adresse du compte ({v}) est fausse", "envoyez la facture à {v} !", "mail : {v}"],
                ["PHONE_NUMBER"] = ["mon numéro a changé : {v}", "joignable au {v}.", "{v} c'est mon fixe", "tél : {v}", "ou au {v} le soir"],
                ["PHONE_CTX"] = ["appelez-moi au {v}", "mon portable est {v}", "whatsapp {v}", "téléphone {v}"],
                ["CREDIT_CARD"] = ["j'ai payé avec la carte {v}", "ma carte est {v}.", "débitez {v} svp", "carte bancaire {v}"],
                ["US_SSN"] = ["mon SSN américain est {v}", "numéro de sécurité sociale US {v}", "SSN : {v}."],
                ["IBAN_CODE"] = ["remboursez sur l'IBAN {v}", "mon compte est {v}.", "IBAN : {v}", "virement sur {v} merci"],
                ["IP_ADDRESS"] = ["connexion refusée depuis {v}", "mon IP est {v}.", "le serveur {v} ne répond plus", "IP bloquée {v}"],
                ["URL"] = ["voir {v}", "le lien {v} ne marche pas", "je l'ai vu sur {v}.", "allez sur {v}"],
                ["order"] = ["la commande {v} n'est pas arrivée", "où est ma commande {v} ?"],
                ["tracking"] = ["numéro de suivi {v}", "le colis {v} est en retard"],
                ["date"] = ["livraison prévue le {v}", "commandé le {v}"],
                ["time"] = ["le livreur est passé à {v}", "rendez-vous à {v}"],
                ["amount"] = ["vous m'avez débité {v} deux fois", "le total était de {v}"],
                ["version"] = ["l'appli est en {v}", "depuis la {v} ça plante"],
                ["postal"] = ["mon code postal est {v}", "livrer au {v}"],
                ["longnum"] = ["référence {v}", "le code cadeau {v} est refusé"],
                ["invoice"] = ["il manque la facture {v}", "concernant la facture {v}"],
                ["percent"] = ["la remise de {v} n'a pas marché", "batterie à {v}"],
                ["ean"] = ["code-barres {v}", "EAN {v} en rupture"],
                ["ref"] = ["réf. {v}", "dossier {v} toujours ouvert"],
                ["account"] = ["client {v}", "compte interne {v}"],
                ["ipversion"] = ["j'ai la version {v}", "firmware {v} installé"],
            },
            ["de"] = new Dictionary<string, string[]>
            {
                ["yearref"] = ["Bestellung {v} ist verspätet", "mein Vorgang ist {v}"],
                ["mac"] = ["MAC-Adresse {v}", "Router-MAC {v}"],
                ["ticket"] = ["Ticket {v} noch offen", "Lieferschein {v}"],
                ["EMAIL"] = ["meine E-Mail ist {v}", "bitte an {v} antworten.", "die Konto-Mail ({v}) ist falsch", "Rechnung bitte an {v}!", "Mail: {v}"],
                ["PHONE_NUMBER"] = ["meine neue Nummer ist {v}", "erreichbar unter {v}.", "{v} ist mein Festnetz", "Tel.: {v}", "oder abends unter {v}"],
                ["PHONE_CTX"] = ["ruft mich an unter {v}", "meine Handynummer ist {v}", "WhatsApp {v}", "Telefon {v}"],
                ["CREDIT_CARD"] = ["ich habe mit Karte {v} bezahlt", "meine Kreditkarte ist {v}.", "bitte {v} belasten", "Karte {v}"],
                ["US_SSN"] = ["meine US-SSN ist {v}", "amerikanische Sozialversicherungsnummer {v}", "SSN: {v}."],
                ["IBAN_CODE"] = ["Erstattung bitte auf IBAN {v}", "mein Konto ist {v}.", "IBAN: {v}", "bitte auf {v} überweisen"],
                ["IP_ADDRESS"] = ["Login von {v} fehlgeschlagen", "meine IP ist {v}.", "der Server {v} ist down", "IP gesperrt {v}"],
                ["URL"] = ["siehe {v}", "der Link {v} geht nicht", "gefunden auf {v}.", "schaut auf {v}"],
                ["order"] = ["Bestellung {v} ist nicht angekommen", "wo bleibt meine Bestellung {v}?"],
                ["tracking"] = ["Sendungsnummer {v}", "das Paket {v} hat Verspätung"],
                ["date"] = ["Lieferung war für {v} geplant", "bestellt am {v}"],
                ["time"] = ["der Bote kam um {v}", "Termin um {v}"],
                ["amount"] = ["ihr habt {v} doppelt abgebucht", "Summe war {v}"],
                ["version"] = ["die App ist auf {v}", "seit {v} stürzt sie ab"],
                ["postal"] = ["meine PLZ ist {v}", "Lieferung an PLZ {v}"],
                ["longnum"] = ["Referenz {v}", "der Gutscheincode {v} geht nicht"],
                ["invoice"] = ["Rechnung {v} fehlt", "zur Rechnung {v}"],
                ["percent"] = ["die {v} Rabatt fehlen", "Akku bei {v}"],
                ["ean"] = ["Barcode {v}", "EAN {v} ausverkauft"],
                ["ref"] = ["Az. {v}", "Vorgang {v} ist noch offen"],
                ["account"] = ["Kunden-ID {v}", "internes Konto {v}"],
                ["ipversion"] = ["ich habe Version {v}", "Firmware {v} installiert"],
            },
        };
}
