"""Texts of the safety-plan workbooks.

Tingbjerg-Husum 2021: the budget lines of tabel 3 and the midterm status of tabel 4 of the
2021 status note, transcribed to plain text (markup removed, paragraphs separated by a blank
line, words split by the PDF's line breaks joined again, e.g. "boligso- ciale" -> "boligsociale").
The partners per activity are invented but plausible (the note gives only their number: 13 of
16 activities have two or more). The two other plans are wholly synthetic.
"""

from __future__ import annotations

STATUS_QUESTIONS = (
    "Kører aktiviteten som planlagt? Hvis ikke, hvorfor?",
    "Nævn 1-3 eksempler på leverancer der er opnået",
    "Er der op til nu opstået bekymringer knyttet til opfyldelse af aktivitetens leverancer?",
    "Er der behov for justeringer? Hvis ja, hvilke?",
)

NONE_YET = "Ingen af aktivitetens leverancer er på nuværende tidspunkt opnået."


def _p(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


#: Tryghedsplan lines: (nr, activity as in tabel 3, type, responsible, partners,
#: {year: kr.}) -- partners separated by "; "
TINGBJERG_HUSUM_LINES = [
    (1, "Juniorbetjent", "Aktivitet", "Nærpoliti Nordvest",
     "SSP; Den boligsociale helhedsplan i Tingbjerg; Husum Skole", {2021: 80_000}),
    (2, "Fælleshaven", "Aktivitet", "Den boligsociale helhedsplan i Tingbjerg-Utterslevhuse",
     "Restaurant Virketrang; Frivillige beboere i Tingbjerg",
     {y: 220_000 for y in range(2021, 2025)}),
    (3, "Videnshus", "Aktivitet", "Den boligsociale helhedsplan i Husum",
     "Sundhedsplejen; Ny Start; Ressourcegården; Københavns Sprogcenter", {2021: 190_000}),
    (4, "Tryghed ved byggepladser", "Aktivitet",
     "Byudviklingsteamet i Tingbjerg og kommunikationsmedarbejder i tryghedspartnerskabet",
     "Ny Start; Turning Tables; Tingbjerg Ungefællesskab", {2021: 50_000, 2022: 50_000}),
    (5, "Tidlig foreningsstart", "Aktivitet", "Brønshøj Boldklub",
     "Den boligsociale helhedsplan i Tingbjerg; Tingbjerg Skole",
     {y: 149_000 for y in range(2021, 2025)}),
    (6, "Tryghed ved Energicenter Voldparken", "Aktivitet", "Energicenter Voldparken",
     "SSP; Nærpoliti Nordvest; Grøndal MultiCenter", {2021: 50_000}),
    (7, "Lommepege- og fritidsjob", "Aktivitet",
     "Den boligsociale helhedsplan i Tingbjerg og Ny Start",
     "FRAK; Brønshøj Boldklub; Idrætsprojektet", {y: 200_000 for y in range(2021, 2025)}),
    (8, "Fællesskab om teknologi, håndværk og design", "Aktivitet",
     "Tingbjerg kulturhus/bibliotek", "Tingbjerg Skole", {2021: 125_000, 2022: 125_000}),
    (9, "Tryggere og renere kældre", "Aktivitet",
     "Partnerskabets kommunikationsmedarbejder + medarbejder fra Tingbjerg Byudviklingsteam",
     "Nærpoliti Nordvest; SSP; Boligorganisationernes driftsmedarbejdere", {2021: 75_000}),
    (10, "Det gode valg", "Aktivitet", "SSP (SOF)",
     "Husum Skole; Korsager Skole; Nærpoliti Nordvest", {2021: 100_000}),
    (11, "Motion i Husum", "Aktivitet", "Den boligsociale helhedsplan i Husum", "Play",
     {2021: 35_000}),
    (12, "Fællesskaber i film, foto og musik", "Aktivitet",
     "Den boligsociale helhedsplan i Tingbjerg", "Terrasserne; Ny Start; Turning Tables",
     {2021: 120_000}),
    (13, "Tingbjerg Challenge", "Aktivitet", "Den boligsociale helhedsplan i Tingbjerg",
     "Tingbjerg Ungefællesskab; Unge i Centrum; Meyers Madhus; Cricketklubben",
     {2021: 15_000}),
    (14, "Kommunikation, dialog og begivenheder", "Aktivitet", "Sikker By (ØKF)",
     "Brønshøj-Husum Lokaludvalg; Den boligsociale helhedsplan i Tingbjerg; "
     "Den boligsociale helhedsplan i Husum", {y: 330_000 for y in range(2021, 2025)}),
    (15, "Bylivs- og tryghedspuljen", "Aktivitet", "Sikker By (ØKF)",
     "Brønshøj-Husum Lokaludvalg; Lokale foreninger i Husum og Tingbjerg",
     {y: 180_000 for y in range(2021, 2025)}),
    (16, "Videnspuljen", "Aktivitet", "Sikker By (ØKF)", "Ekstern konsulent",
     {y: 10_000 for y in range(2021, 2025)}),
    (17, "Sekretariatsbetjening (mødeforplejning)", "Drift", "Sikker By (ØKF)", "",
     {y: 5_000 for y in range(2021, 2025)}),
]

#: Midtvejsstatus rows: (nr, activity as in tabel 4, responsible, four answers)
TINGBJERG_HUSUM_STATUS = [
    (1, "Juniorbetjent", "Nærpoliti Nordvest", (
        _p("Vi har pt. præsenteret konceptet på SSP-møde i Husum/Tingbjerg, hvor der er lagt op "
           "til, at samarbejdspartnerne skal finde egnede kandidater til juniorbetjente. "
           "Juniorbetjente skal gerne være udvalgt i slutningen af maj. Selve Juniorbetjent ugen "
           "skal være i uge 40.",
           "Der arbejdes pt. på at få udarbejdet et \"juniorbetjent-logo\", så vi kan "
           "begynde at bestille tøj, tasker mm. hjem til selve Juniorbetjent-ugen.",
           "Der er blevet lejet en spejderhytte i uge 40 til juniorbetjent ugen."),
        NONE_YET, "Nej", "Nej")),
    (2, "Fælleshaven", "Den boligsociale helhedsplan i Tingbjerg-Utterslevhuse", (
        _p("Vi er nu tilbage i noget der begynder at ligne en normal hverdag; havelodderne bliver "
           "klargjort, restauranten opstarter, værkstederne er åbnet. Tydeligt at aktiviteterne "
           "har været savnet.",
           "Et hold på faste frivillige er nu i gang med at dyrke til restaurant Virketrang.",
           "Der er en fungerende hønsegruppe på 10 personer og en biavlsggruppe på 4 personer "
           "indtil videre."),
        NONE_YET, "Nej", "Nej")),
    (3, "Videnshus", "Den boligsociale helhedsplan i Husum", (
        _p("Pga. covid-19 har huset været lukket frem til og med medio april, hvorefter huset er "
           "lukket langsomt op for aktiviteter indenfor myndighedernes retningslinjer. "
           "Sundhedsplejen har startet ugentlige aktiviteter og beboernetværk starter op medio "
           "maj. Videnshuset har været brugt til Pop up teststed for Covid19. Lommepegejobbere "
           "har sammen med helhedsplan, Ny start og ressourcegården malet og istandsat "
           "videnshuset under nedlukningen. Ugentlige værksteds-aktiviteter har været afholdt "
           "online. Rådgivnings- og vejledningsaktiviteter har været afholdt telefonisk eller "
           "fysisk (udendørs)",
           "Danskundervisning kommer ikke til at foregå på Biblioteket som angivet men i "
           "videnshuset og med en ny samarbejdspartner (Kbh. sprogcenter)"),
        "Uddannelses- og jobvejledning har været afholdt i forventet omfang", "Nej", "Nej")),
    (4, "Tryghed ved byggepladser",
     "Byudviklingsteamet i Tingbjerg og kommunikationsmedarbejder i tryghedspartnerskabet", (
        _p("Aktiviteten kører som planlagt. Dog skulle den første aktivitet have været i februar. "
           "Dette kunne ikke lade sig gøre, fordi vi måtte afvente opførelsen af permanent "
           "byggehegn.",
           "Der er god dialog mellem os og bygherre samt entreprenør. Vi har fået grønt lys til "
           "det hele.",
           "Næste skridt er involveringen af Tingbjergs børn og unge, som skal være med til at "
           "udsmykke resten af hegnet. Herunder samarbejde med Turning Tables samt Tingbjerg "
           "Ungefællesskab."),
        _p("Leverance: Minimum 1 aktivitet hver 3. måned i hele 2021.",
           "Aktivitet i april med opførelse af opholdsmoduler i mørkt hjørne ved kiosken, "
           "plantekasser og lysinstallation.",
           "Leverance: Aktivering af lomme pengejobbere.",
           "NY START samt en gruppe lomme pengejobbere byggede og opførte ovenstående.",
           "Leverance: Afprøvning af forskellige former for lys. Pt. afprøves en lys-installation "
           "ved kiosken."),
        "Nej", "Nej")),
    (5, "Tidlig Foreningsstart", "Brønshøj Boldklub", (
        _p("Ja, dog med enkelte aflysninger pga. vejret.",
           "En del af børnene er blevet inviteret til træning i klubben, og de første 12 har "
           "været til en klubtræning"),
        "Der bliver afholdt 5 ugentlige træninger for 50-60 børn.", "Nej", "Nej")),
    (6, "Tryghed ved Energicenter Voldparken", "Energicenter Voldparken", (
        _p("Tidsplanen har ændret sig en anelse til senere opstart af visse elementer i "
           "tidsplanen. Covid-19 og andre forhold har gjort, at den oplevede utryghed ved ECV har "
           "været begrænset. Dels fordi der har været færre unge der hænger ud omkring centret og "
           "skaber utryghed, dels fordi matriklen har været lukket for de mange brugere, der "
           "plejer at have deres gang i huset.",
           "Vi har indledt et kortlægningsarbejde, hvor vi gennem ca. 10 uger systematisk "
           "indsamler viden om hvornår og hvor på matriklen der finder utryghedsskabende adfærd "
           "sted, samt hvilken type adfærd der er tale om.",
           "Der udarbejdes zonekort for utryghed.",
           "ECV har meldt sig ind i det lokale SSP-netværk.",
           "Sparringsmøde afholdt med sammenlignelige aktører, som kender til problemstillingen "
           "(Grøndals multicenter og Tingbjerg Kulturhus)"),
        _p("Første workshop for medarbejdere med fokus på low arousal og konfliktnedtrappende "
           "tilgange til målgruppen er gennemført.",
           "Udarbejdelse af intern tryghedsprocedure påbegyndt."),
        "Nej", "Nej")),
    (7, "Lommepege- og fritidsjob", "Den boligsociale helhedsplan i Tingbjerg og Ny Start", (
        _p("Arbejdshold er genoptaget. Under covid-19 nedlukninger har der været arbejdshold, dog "
           "spredt ud over flere mindre hold pga. restriktioner.",
           "Lommepegejobbere som hjælper de frivillige trænere i Brønshøj Boldklub har været sat "
           "på pause.",
           "Interessen for lommepege og fritidsjobs er stor blandt de unge.",
           "Fritidsjobcaféen er midlertidigt på pause grundet midlertidig ubemandet "
           "ungevejleder-stilling frem til 15. juni. Unge kan dog stadig henvende sig og få hjælp "
           "og fritidsjobvejledning.",
           "Efter sommerferien vil en del af de unge i Ny Starts løn- og mepengejob gå ud af "
           "9. klasse. Der vil blive arbejdet på at de kommer i ordinær fritidsjob. Der vil blive "
           "rekrutteret andre unge i deres sted."),
        _p("30 ud af 40 lommepege-ansættelser er opnået.",
           "Aktuelle lommepegejobbere: 13 hos FRAK.",
           "7 i fælles aktiviteter mellem Den Boligsociale Helhedsplan og Idrætsprojektet.",
           "7 i Boligsociale indsats (3 af disse under 13 år efter sær aftaler med forældre, "
           "sagsbehandlere mv.).",
           "10 nye ansatte hos Ny Start og 10+ fastholdt fra tidligere ansættelser.",
           "2 (nye) hos Brønshøj Boldklub"),
        _p("Grundet covid-19 og personaleskift er det usikkert om vi kommer til at opnå "
           "leverancen på 15 ordinære fritidsjob. Ny medarbejder (start 15.05) vil lave "
           "opfølgning på tidl. lommepegejobbere og fokusere på oprettelse af flere kommunale "
           "fritidsjob, fx i lokalområdets institutioner.",
           "Vi har opnået 5 ud af de 15 målsatte ansættelser."),
        "Nej")),
    (8, "Fællesskab om teknologi, håndværk og design", "Tingbjerg kulturhus/bibliotek", (
        "Nedlukning har forsinket dele af projektet en smule. Vi forventer opstart slut maj af de "
        "første aktiviteter og når næsten målet for antal afholdte workshops pr. semester. Der er "
        "forberedt workshops og koordineret med de lokale skoler, hvorfor vi er klar til "
        "afholdelse af aktivitet i maj måned. De første aktiviteter er et lille forløb for "
        "4. klasser, hvor de skal bygge en skralderobot af genbrugsmaterialer og en "
        "legetøjsmotor. De næste aktiviteter afholdes i efterårssemesteret og bliver for 5. + "
        "6.klasser. De er blevet forberedt.",
        NONE_YET,
        "Ikke andet end at yderligere nedlukninger naturligvis vil kunne spænde ben, da "
        "aktiviteten kræver fysisk møde.",
        "Nej")),
    (9, "Tryggere og renere kælderrum",
     "Partnerskabets kommunikationsmedarbejder + medarbejder fra Tingbjerg Byudviklingsteam", (
        _p("Forsinket pga. udskiftning af ansvarlig medarbejder fra Tingbjerg Byudviklingsteam. "
           "Aktiviteten kører nu, og det forventes at tidsplanen kan overholdes, dog med en "
           "kortere testperiode, da kælderproblematikkerne normalt er slemmest i de mørke og "
           "kolde vintermåneder. Testperioden for løsningerne vil være i oktober-december.",
           "Vi har indtil videre været i dialog med nærpolitiet, SSP og afholdt stormøde med "
           "boligorganisationernes driftsmedarbejdere som dagligt kommer i kældrene.",
           "De specifikke problematikker og de mest problemfyldte kældre er nu udpeget.",
           "Næste fase påbegyndes i maj, hvor vi skal tale med beboerne i de specifikke opgange "
           "tilhørende de problemfyldte kældre. Herefter vælges hvilke løsninger vi skal teste "
           "af - og hvor."),
        "Leverancen om løbende dialog og samarbejde mellem aktørerne er til dels opnået og "
        "fortsætter.",
        "Nej", "Nej")),
    (10, "Det Gode Valg", "SSP (SOF)", (
        _p("Kører som planlagt - forventes to forløb på hhv. Husum og Korsager skoler.",
           "Umiddelbart er tema til temadage valgt, overordnet program lagt og eksterne "
           "samarbejdspartnere booket til sensommerens/efterårets aktiviteter.",
           "Det ene forløb var oprindeligt planlagt til 1. halvår, men er udskudt til 2. halvår "
           "grundet Covid-19. Indsatserne forventes at kunne gennemføres, medmindre der skulle "
           "opstå en ny og markant nedlukning igen efter sommeren. Selv med en eventuel "
           "nedlukning, vil dele af aktiviteterne forsøges gennemført digitalt."),
        NONE_YET, "Nej", "Nej")),
    (11, "Motion i Husum", "Den boligsociale helhedsplan i Husum", (
        "Pga. covid-19 er aktiviteten sat på pause. I stedet afholder Husum for Alle online "
        "yoga, tirsdag og online motion torsdag for ældre og enlige beboere. Frem til ultimo "
        "april har der gennemsnitligt deltaget 5 ud af en gruppe på 12 personer hver gang.",
        "Den sociale helhedsplan afholder via egne medarbejdere og ressourcer virtuelle "
        "motionshold. Grundet covid-19 er der endnu ikke igangsat fysisk holdtræning.",
        "Pga. covid-19 vil aktivitetens mål om brobygning dog formentligt ikke blive opnået i "
        "2021.",
        "Grundet ønske om lokal forankring overvejes det at anvende en lokal aktør til at stå "
        "for motionsholdene frem for aktøren Play. Der vil ske afklaring heraf inden juli.")),
    (12, "Fællesskaber i film, foto og musik", "Den boligsociale helhedsplan i Tingbjerg", (
        _p("Der er dels afviklet aktiviteter som planlagt og dels er der koordineret forløb med "
           "alle tre målgrupper frem til sommer med de relevante medarbejdere fra Terrasserne og "
           "Ny Start.",
           "3 'hårde unge' har haft 2 aktivitetsdage pr. uge gennem perioden 1.2 til "
           "15.4 i samarbejde med Ny Start og Terrasserne.",
           "Der afstemt et foto-forløb med helhedsplan og Terrasserne, der leder frem til "
           "fotoudstillinger på byggehegn for maj/juni, hvor 1 udpeget ung tilknyttes i "
           "fritidsjob/assisterende instruktør-rolle med løbende opkvalificering.",
           "Der er afstemt et musikforløb med Terrasserne, hvor 3 udpegede unge indgår i "
           "fritidsjob i maj. Der vil samtidig blive arbejdet aktivt på at etablere mere "
           "aktivitet i Terrassernes musikstudie i juni"),
        NONE_YET,
        _p("De fortsatte adskillelser mellem alderstrin og skoleårgange Covid-19, giver en vis "
           "usikkerhed om hvorvidt vi vil opfylde deltagerantal i foto- og musikforløb.",
           "Grundet ændringer i Turning Tables økonomi kan der forekomme mindre ændringer i de "
           "enkelte leverancer, dog indenfor de godkendte rammer for aktiviteten."),
        "Nej")),
    (13, "Tingbjerg Challenge", "Den boligsociale helhedsplan i Tingbjerg", (
        "Vi arbejder på at kunne gennemføre Tingbjerg Challenge trods covid-19.",
        _p("Samarbejde med 3 foreninger er opnået.",
           "- Tingbjerg Ungefællesskab arrangerer kultur/musikbegivenheder på scenen.",
           "- Unge i Centrum står for frivilligforplejning sammen med Meyers Madhus.",
           "- Cricketklubben har givet tilsagn om at deltage"),
        "Ophævelse af forsamlingsforbud er en forudsætning for gennemførelse.",
        "Nej")),
    (14, "Kommunikation, dialog og begivenheder", "Sikker By (ØKF)", (
        _p("Aktiviteten kører som planlagt.",
           "Dog venter vi fortsat med at invitere beboere til større dialogmøder/arrangementer "
           "pga. covid-19 restriktioner."),
        _p("Leverance: udarbejdelse af artikler til lokalavis og beboerblad bl.a. i form af "
           "portrætinterviewserie med beboere (fokus på bedre naboskab) samt pressehistorier til "
           "Lorry og lokalavis bl.a. historien om at Tingberg ikke længere er på politiets "
           "SUB-liste.",
           "Leverance: udarbejdelse af kommunikationsprodukter, til beboerne i "
           "partnerskabsområdet for at sikre opmærksomhed og deltagelse i trygheds-fremmende "
           "aktiviteter herunder bl.a. banner og pressearbejde for Kuk Kuk i kvarteret (støttet "
           "af vores bylivspulje) samt aktivitetsplakater til Videnshuset i Husum.",
           "Leverance: udførelse af indsatser ifm. byudviklingsstrategien. Herunder udarbejdelse "
           "af informationsfolder til beboere i Tingbjerg om nyeste lokalplan (etape 1) og dens "
           "høringsperiode. Samt medvirken i udførsel af Brønshøj-Husum lokaludvalgs digitale "
           "borgermøde om etape 1."),
        "Nej", "Nej")),
    (15, "Bylivspuljen", "Sikker By (ØKF)", (
        "",
        "Der er brugt 30.000 kr. til aktiviteten Kuk Kuk i kvarteret, som er en aktivitet der "
        "har til formål at styrke naboskabet og den sociale sammenhængskraft i bydelen under "
        "Covid-19 nedlukningen. Kuk Kuk i kvarteret arrangerer, at lokale foreninger laver online "
        "banko og konkurrencer for børn, og der live-streames aktiviteter og gårdkoncerter om "
        "torsdagen frem til genåbning af foreningslivet og kulturlivet.",
        "Nej. I arbejdsgruppen er der fokus på at sikre, at vi trods covid-19 kan anvende "
        "midlerne til gavn for borgere i Husum og Tingbjerg.",
        "Nej")),
    (16, "Videnspuljen", "Sikker By (ØKF)", (
        "Der er planer om at afholde et arrangement i arbejdsgrupperne på tværs af de tre "
        "tryghedspartnerskaber. Formålet er at klæde professionelle på til at møde utrygge og "
        "frustrerede borgere, så de oplever sig hørt og inddraget. Det kan være på dialogmøder, "
        "tryghedsvandring eller borgermøder ved utryghedsskabende episoder. Der er indhentet "
        "tilbud fra ekstern konsulent - 20.000 kr. eks. moms (dækkes af de tre partnerskaber)",
        "",
        "Nej. I arbejdsgruppen er der fokus på at sikre, at vi trods covid-19 kan anvende "
        "midlerne til at sikre opbygning og deling af viden.",
        "Nej")),
]

_SYNTHETIC = "SYNTETISK EKSEMPEL. "

#: the two synthetic example partnerships: lines as above; status texts generated from them
SYNTHETIC_PLANS = {
    "norrebro": [
        (1, "Tryghedsvandringer i Mjølnerparken", "Aktivitet", "Sikker By (ØKF)",
         "Nærpoliti Nørrebro; Den boligsociale helhedsplan i Mjølnerparken",
         {y: 40_000 for y in range(2021, 2025)}),
        (2, "Lys i gårdrummene", "Aktivitet", "Boligorganisationen (eksempel)",
         "Sikker By (ØKF); Beboerrådet (eksempel)", {2021: 150_000, 2022: 150_000}),
        (3, "Aftenåben ungeklub", "Aktivitet", "Ungdomsklubben på Nørrebro (eksempel)",
         "SSP; Den boligsociale helhedsplan i Mjølnerparken",
         {y: 180_000 for y in range(2021, 2025)}),
        (4, "Nabofællesskaber i Lundtoftegade", "Aktivitet",
         "Den boligsociale helhedsplan i Lundtoftegade", "Beboerrådet (eksempel)",
         {2021: 60_000, 2022: 60_000, 2023: 60_000}),
        (5, "Kommunikation og dialog", "Aktivitet", "Sikker By (ØKF)",
         "Nørrebro Lokaludvalg; Nærpoliti Nørrebro", {y: 90_000 for y in range(2021, 2025)}),
        (6, "Sekretariatsbetjening", "Drift", "Sikker By (ØKF)", "",
         {y: 5_000 for y in range(2021, 2025)}),
    ],
    "nordvest": [
        (1, "Natteravne i Bispeparken", "Aktivitet", "Natteravnene Nordvest (eksempel)",
         "Nærpoliti Nordvest; Den boligsociale helhedsplan i Bispeparken",
         {y: 35_000 for y in range(2021, 2025)}),
        (2, "Tryg vej til skole", "Aktivitet", "SSP (SOF)",
         "Tagensbo Skole (eksempel); Nærpoliti Nordvest; Forældrenetværk (eksempel)",
         {2021: 70_000, 2022: 70_000}),
        (3, "Fritidsjob til unge", "Aktivitet", "Den boligsociale helhedsplan i Bispeparken",
         "Lokale erhvervsdrivende (eksempel)", {y: 160_000 for y in range(2021, 2025)}),
        (4, "Renere og tryggere kældre i Tagensbo", "Aktivitet", "Boligorganisationen (eksempel)",
         "Sikker By (ØKF); Nærpoliti Nordvest", {2021: 80_000}),
        (5, "Bylivspulje Nordvest", "Aktivitet", "Sikker By (ØKF)",
         "Bispebjerg Lokaludvalg; Lokale foreninger (eksempel)",
         {y: 100_000 for y in range(2021, 2025)}),
        (6, "Sekretariatsbetjening", "Drift", "Sikker By (ØKF)", "",
         {y: 5_000 for y in range(2021, 2025)}),
    ],
}


def synthetic_status(lines) -> list:
    """Plain midterm answers for a synthetic plan's activities."""
    rows = []
    for i, (nr, activity, kind, responsible, _, _) in enumerate(lines):
        if kind != "Aktivitet":
            continue
        running = _SYNTHETIC + ("Aktiviteten kører som planlagt." if i % 3 else
                                "Aktiviteten er forsinket pga. covid-19, men forventes at nå "
                                "sine leverancer i løbet af året.")
        rows.append((nr, activity, responsible, (
            running,
            NONE_YET if i % 2 else _p("Første leverance er opnået.",
                                      "Aktiviteten har haft 25 deltagere indtil videre."),
            "Nej", "Nej")))
    return rows
