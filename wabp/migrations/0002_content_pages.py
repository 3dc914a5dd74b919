"""The foundation's content pages, in Dutch with an English translation.

The board edits these pages in the admin afterwards. get_or_create never
overwrites a page that already exists, and reversing deletes only pages whose
text is still exactly what this migration wrote.
"""

from django.db import migrations

OVER_ONS = {
    "title": "Over ons",
    "intro": "Stichting WhatsApp BuurtPreventie helpt buren om samen op hun straat te letten: "
    "veilig, binnen de wet en met respect voor ieders privacy.",
    "body": """\
## Onze missie

Buren kennen hun straat het best. Zij zien als eerste dat er iets niet klopt: een auto die
al uren met draaiende motor staat te wachten, iemand die aan deurklinken voelt, een raam dat
openstaat terwijl de bewoners op vakantie zijn. Wij helpen buren om zulke signalen snel met
elkaar én met de politie te delen. Zo voorkomen we samen inbraken, overvallen en andere
overlast.

Stichting WhatsApp BuurtPreventie (WABP) ondersteunt buurtpreventiegroepen in heel
Nederland. Dat doen we met dit portaal, met gratis voorlichting en met een e-learning voor
groepsbeheerders.

## Waar we staan

- Er zijn ongeveer **9.300 groepen** bij ons aangemeld.
- Samen hebben die groepen zo'n **500.000 deelnemers**.
- Aanmelden van een groep is **gratis** en blijft gratis.

## Onze visie

Wij geloven in een buurt waar mensen elkaar kennen en voor elkaar opkomen. Een
buurtpreventiegroep is geen vervanging van de politie, maar een extra paar ogen en oren.
De politie en de gemeente doen hun werk; buren helpen door op te letten, 112 te bellen en
elkaar te waarschuwen. Daarom werken we nauw samen met de politie en met gemeenten. Zij
weten welke groepen er zijn en kunnen de beheerders bereiken als dat nodig is.

## Onze kernwaarden

1. **Veiligheid voorop.** Bij een verdachte situatie belt u eerst 112. Niemand brengt
   zichzelf of een ander in gevaar.
2. **Geen eigenrichting.** Deelnemers houden niemand aan, achtervolgen niemand en
   straffen niemand. Dat is het werk van de politie.
3. **Privacy respecteren.** We delen alleen wat nodig is. Foto's van verdachten zetten we
   nooit openbaar online. Uw gegevens verkopen of verhuren we niet.
4. **Iedereen hoort erbij.** Een groep is er voor de hele buurt. Discriminatie past daar
   niet bij: we letten op gedrag, niet op afkomst of uiterlijk.
5. **Samen en onafhankelijk.** We werken samen met politie, gemeenten en andere partners,
   maar niemand kan onze inhoud of onze ledenlijst kopen. Lees daarover ons
   [memorandum](/over-ons/memorandum/).

## Wat we doen

- We houden een overzicht bij van alle aangemelde groepen, zodat bewoners de groep van hun
  straat kunnen vinden.
- We geven beheerders praktische hulp: [huisregels](/huisregels/), een
  [stappenplan](/nieuwe-groep-starten/) en een e-learning.
- We verspreiden bordjes "WhatsApp BuurtPreventie" via gemeenten.
- We brengen groepen in contact met hun wijkagent en hun gemeente.

## Wie we zijn

De stichting wordt geleid door een bestuur van vrijwilligers. Bestuursleden krijgen geen
salaris. Wij zijn afhankelijk van subsidies van overheden en van donaties zonder
voorwaarden.
""",
    "title_en": "About us",
    "intro_en": "The WhatsApp Neighbourhood Watch Foundation helps neighbours look out for "
    "their street together: safely, within the law and with respect for everyone's privacy.",
    "body_en": """\
## Our mission

Neighbours know their street best. They are the first to notice that something is not
right: a car that has been waiting for hours with its engine running, someone trying door
handles, a window left open while the residents are on holiday. We help neighbours share
such signals quickly with each other and with the police. Together we prevent burglaries,
robberies and other nuisance.

The WhatsApp Neighbourhood Watch Foundation (Stichting WhatsApp BuurtPreventie, WABP)
supports neighbourhood watch groups throughout the Netherlands. We do this with this portal,
with free information and with an e-learning course for group admins.

## Where we stand

- About **9,300 groups** are registered with us.
- Together these groups have some **500,000 members**.
- Registering a group is **free** and will stay free.

## Our vision

We believe in neighbourhoods where people know each other and stand up for each other. A
neighbourhood watch group does not replace the police; it is an extra pair of eyes and ears.
The police and the municipality do their work; neighbours help by paying attention, calling
112 and warning each other. That is why we work closely with the police and with
municipalities. They know which groups exist and can reach the admins when needed.

## Our core values

1. **Safety first.** In a suspicious situation you call 112 first. Nobody puts themselves or
   anyone else in danger.
2. **No vigilantism.** Members do not detain, chase or punish anyone. That is the job of the
   police.
3. **Respect privacy.** We share only what is needed. We never post photos of suspects
   publicly online. We do not sell or rent out your data.
4. **Everyone belongs.** A group is there for the whole neighbourhood. Discrimination has no
   place in it: we watch behaviour, not background or appearance.
5. **Together and independent.** We work with the police, municipalities and other partners,
   but nobody can buy our content or our member list. Read our
   [memorandum](/over-ons/memorandum/) about this.

## What we do

- We keep an overview of all registered groups, so residents can find the group for their
  street.
- We give admins practical help: [house rules](/huisregels/), a
  [step-by-step plan](/nieuwe-groep-starten/) and an e-learning course.
- We distribute "WhatsApp BuurtPreventie" street signs through municipalities.
- We put groups in touch with their neighbourhood police officer and their municipality.

## Who we are

The foundation is run by a board of volunteers. Board members receive no salary. We depend
on grants from public authorities and on donations without conditions.
""",
}

MEMORANDUM = {
    "title": "Memorandum tegen belangenverstrengeling",
    "intro": "Hoe het bestuur voorkomt dat persoonlijke of zakelijke belangen de stichting "
    "beïnvloeden.",
    "body": """\
## Waarom dit memorandum

Bij onze stichting zijn ongeveer 9.300 groepen aangemeld, met samen zo'n 500.000
deelnemers. Dat maakt ons interessant voor bedrijven die iets willen verkopen, zoals
camera's, alarmsystemen of verzekeringen. Deelnemers en partners moeten erop kunnen
vertrouwen dat wij alleen het belang van veilige buurten dienen. Daarom heeft het bestuur
deze afspraken gemaakt.

## Afspraken voor bestuursleden

- Ieder bestuurslid meldt bij de start, en daarna elk jaar, welke functies en belangen hij
  of zij heeft: werk, nevenfuncties, aandelen en familiebanden die met veiligheid te maken
  hebben.
- Een bestuurslid meldt een nieuw belang binnen een maand.
- De lijst met belangen staat in het jaarverslag.
- Bestuursleden krijgen geen betaling, cadeaus of reizen van leveranciers of partners. Een
  kleine attentie tot 50 euro melden zij bij de voorzitter.

## Onze ledenlijst is niet te koop

- We gebruiken de gegevens van beheerders en deelnemers nooit voor commerciële doelen.
- We verkopen, verhuren of geven geen gegevens aan bedrijven.
- We sturen beheerders geen reclame van anderen.
- Alleen de politie en gemeenten krijgen, als dat nodig is, de contactgegevens van
  beheerders van groepen in hun gebied. Daarover leest u meer in de
  [privacyverklaring](/privacy/).

## Geen betaalde invloed op de inhoud

- Sponsors en partners kopen geen plek op de website, in de e-learning of in onze berichten.
- We noemen geen merken van producten als aanrader.
- Een donatie geeft nooit recht op invloed op wat wij schrijven of doen.
- Geld van overheden gebruiken we voor het doel waarvoor het is gegeven, en we maken dat
  openbaar in het jaarverslag.

## Wat doen we bij een conflict van belangen?

1. Het bestuurslid meldt het belang zo snel mogelijk aan de voorzitter. Gaat het om de
   voorzitter, dan meldt die het aan de secretaris.
2. Het bestuurslid doet niet mee aan het gesprek en aan de stemming over dat onderwerp.
3. Het bestuur legt in het verslag van de vergadering vast wat er is gemeld en wat er is
   besloten.
4. Twijfelt het bestuur? Dan vraagt het advies aan een onafhankelijke deskundige.
5. Houdt een bestuurslid zich niet aan deze afspraken, dan kan het bestuur hem of haar
   vragen op te stappen.

## Een melding doen

Denkt u dat een bestuurslid of de stichting zich niet aan dit memorandum houdt? Laat het
ons weten via de contactgegevens in de [privacyverklaring](/privacy/). We behandelen uw
melding vertrouwelijk en reageren binnen vier weken.
""",
    "title_en": "Memorandum against conflicts of interest",
    "intro_en": "How the board prevents personal or business interests from influencing the "
    "foundation.",
    "body_en": """\
## Why this memorandum

About 9,300 groups with some 500,000 members in total are registered with our foundation.
That makes us attractive to companies that want to sell something, such as cameras, alarm
systems or insurance. Members and partners must be able to trust that we serve only the
interest of safe neighbourhoods. That is why the board has made these agreements.

## Agreements for board members

- Every board member declares at the start, and every year after that, which positions and
  interests they have: work, other positions, shares and family ties related to safety and
  security.
- A board member declares a new interest within one month.
- The list of interests is published in the annual report.
- Board members accept no payment, gifts or trips from suppliers or partners. A small gift
  of up to 50 euros is reported to the chair.

## Our member list is not for sale

- We never use the data of admins and members for commercial purposes.
- We do not sell, rent out or give data to companies.
- We do not send admins advertising from others.
- Only the police and municipalities receive, when needed, the contact details of admins
  of groups in their area. You can read more about this in the
  [privacy statement](/privacy/).

## No paid influence on content

- Sponsors and partners cannot buy a place on the website, in the e-learning or in our
  messages.
- We do not recommend product brands.
- A donation never gives the right to influence what we write or do.
- We use public money for the purpose it was given for, and we report on it in the annual
  report.

## What do we do in case of a conflict of interest?

1. The board member reports the interest to the chair as soon as possible. If it concerns
   the chair, the chair reports it to the secretary.
2. The board member takes no part in the discussion or the vote on that subject.
3. The board records in the minutes what was reported and what was decided.
4. If the board is in doubt, it asks an independent expert for advice.
5. If a board member does not keep to these agreements, the board can ask them to step
   down.

## Reporting a concern

Do you think a board member or the foundation is not keeping to this memorandum? Let us
know using the contact details in the [privacy statement](/privacy/). We treat your report
confidentially and respond within four weeks.
""",
}

PARTNERS = {
    "title": "Partners",
    "intro": "Buurtpreventie werkt het best als bewoners, politie en gemeente samenwerken. "
    "Dit zijn onze belangrijkste partners.",
    "body": """\
## Politie

De politie is onze belangrijkste partner. Een buurtpreventiegroep helpt de politie met
snelle en goede meldingen via 112. De wijkagent kent de buurt en is het aanspreekpunt voor
de beheerders van een groep.

- Meld uw groep aan bij de wijkagent. Zijn of haar naam vindt u op politie.nl onder
  "Mijn wijkagent".
- De wijkagent kan een groep tips geven over wat er speelt in de wijk.
- Let op: een bericht in de groep is nooit een melding bij de politie. Bel bij een
  verdachte situatie altijd eerst 112.

## Gemeenten

Gemeenten zorgen voor veiligheid en leefbaarheid in de buurt. Veel gemeenten houden een
lijst bij van buurtpreventiegroepen en plaatsen de bekende bordjes "WhatsApp
BuurtPreventie" bij de ingang van een wijk.

- Meld uw groep aan bij uw gemeente. Vaak gaat dat via de afdeling Openbare Orde en
  Veiligheid.
- Medewerkers van gemeenten kunnen op dit portaal zien welke groepen er in hun gemeente
  actief zijn.
- Gemeenten kunnen beheerders uitnodigen voor een bijeenkomst of een training.

## Coöperatie WeHelpen en de app Whapp

Een veilige buurt is ook een buurt waar mensen elkaar helpen. Coöperatie WeHelpen brengt
mensen bij elkaar die iets voor een ander willen doen. Met de app **Whapp** vragen en
bieden buren hulp "achter de voordeur": een boodschap doen, een lamp vervangen, samen een
wandeling maken of de kliko aan de straat zetten voor iemand die dat zelf niet meer kan.

- Een buurtpreventiegroep let op wat er op straat gebeurt; Whapp helpt buren binnen, bij
  kleine klusjes en een praatje.
- Zo leren buren elkaar beter kennen. Dat maakt de buurt ook veiliger.
- Whapp is een aparte app van WeHelpen. Wij delen geen gegevens met WeHelpen.

## Centrum voor Criminaliteitspreventie en Veiligheid (CCV)

Het CCV verzamelt kennis over het voorkomen van criminaliteit, bijvoorbeeld over
inbraakpreventie en buurtpreventie. In onze e-learning en huisregels gebruiken we die
kennis.

## Samenwerken zonder belangen

Geen van onze partners betaalt voor een plek op deze pagina. Hoe we omgaan met geld en
belangen, staat in ons [memorandum](/over-ons/memorandum/).
""",
    "title_en": "Partners",
    "intro_en": "Neighbourhood watch works best when residents, the police and the "
    "municipality work together. These are our main partners.",
    "body_en": """\
## Police

The police are our most important partner. A neighbourhood watch group helps the police
with quick and accurate reports through 112. The neighbourhood police officer (wijkagent)
knows the area and is the point of contact for the admins of a group.

- Register your group with your neighbourhood police officer. You can find their name on
  politie.nl under "Mijn wijkagent".
- The neighbourhood police officer can give a group tips about what is going on in the area.
- Please note: a message in the group is never a report to the police. In a suspicious
  situation, always call 112 first.

## Municipalities

Municipalities are responsible for safety and liveability in the neighbourhood. Many
municipalities keep a list of neighbourhood watch groups and put up the well-known
"WhatsApp BuurtPreventie" signs at the entrance of a neighbourhood.

- Register your group with your municipality, often through the public order and safety
  department.
- Municipal staff can see on this portal which groups are active in their municipality.
- Municipalities can invite admins to a meeting or a training.

## WeHelpen cooperative and the Whapp app

A safe neighbourhood is also one where people help each other. The WeHelpen cooperative
brings together people who want to do something for someone else. With the **Whapp** app,
neighbours ask for and offer help "behind the front door": doing some shopping, changing a
light bulb, going for a walk together, or putting the bin out for someone who can no
longer do it themselves.

- A neighbourhood watch group keeps an eye on the street; Whapp helps neighbours indoors,
  with small tasks and a chat.
- This way neighbours get to know each other better, which also makes the neighbourhood
  safer.
- Whapp is a separate app run by WeHelpen. We do not share any data with WeHelpen.

## Centre for Crime Prevention and Safety (CCV)

The CCV (Centrum voor Criminaliteitspreventie en Veiligheid) gathers knowledge about
preventing crime, for example about burglary prevention and neighbourhood watch. We use
that knowledge in our e-learning and house rules.

## Working together without vested interests

None of our partners pays for a place on this page. How we deal with money and interests
is described in our [memorandum](/over-ons/memorandum/).
""",
}

HUISREGELS = {
    "title": "Huisregels voor buurtpreventiegroepen",
    "intro": "Met duidelijke afspraken blijft een groep nuttig, veilig en prettig. "
    "Deel deze huisregels met alle deelnemers.",
    "body": """\
## De SAAR-regel

Ziet u iets verdachts? Volg dan altijd de SAAR-regel:

1. **S – Signaleren.** U ziet een verdachte situatie. Let goed op: wie, wat, waar, welke
   kant gaat iemand op? Onthoud een signalement of een kenteken.
2. **A – Alarmeren.** Bel eerst **112**. Zeg dat u belt vanuit een buurtpreventiegroep.
   Bel pas daarna de groep in.
3. **A – App-groep informeren.** Zet een kort bericht in de groep: wat u zag, waar en
   wanneer. Schrijf erbij dat de politie is gebeld.
4. **R – Reageren.** Reageer alleen als het veilig is. Kijk vanuit uw huis, doe het licht
   aan, maar ga niet zelf achter iemand aan.

## Wat we wel doen

- We gebruiken de groep alleen voor meldingen over veiligheid in de buurt.
- We bellen eerst 112 en zetten daarna pas een bericht in de groep.
- We schrijven kort en duidelijk: wat, waar, wanneer, signalement.
- We melden in de groep als de situatie voorbij is ("politie is ter plaatse", "loos
  alarm").
- We behandelen elkaar met respect.

## Wat we niet doen

- **Niet chatten.** Geen grappen, filmpjes, verjaardagswensen of oproepen voor een
  verloren kat. Daarvoor kunt u een aparte buurtgroep maken.
- **Geen foto's van gezichten van verdachten openbaar zetten.** Een foto kan helpen, maar
  geef hem aan de politie. Zet hem nooit op sociale media of buiten de groep.
- **Geen eigenrichting.** We houden niemand aan, achtervolgen niemand en spreken niemand
  dreigend aan.
- **Geen discriminatie.** We letten op gedrag, niet op huidskleur, afkomst, geloof of
  kleding. Iemand is niet verdacht omdat hij of zij er anders uitziet.
- **Geen persoonlijke gegevens delen** van buren of verdachten, zoals namen,
  adressen of kentekens met een naam erbij, buiten wat nodig is voor de politie.

## Privacy in de groep

- Deelnemers zien elkaars telefoonnummer. Vraag daarom toestemming voordat u iemand
  toevoegt.
- Wie verhuist of wil stoppen, verlaat de groep. De beheerder verwijdert oud-deelnemers.
- Stuur berichten uit de groep niet door naar anderen.

## De rol van de beheerder

- De beheerder voegt nieuwe deelnemers toe en legt de huisregels uit.
- De beheerder spreekt deelnemers aan die zich niet aan de regels houden. Helpt dat niet,
  dan mag de beheerder iemand uit de groep verwijderen.
- De beheerder houdt de gegevens van de groep op dit portaal actueel.
""",
    "title_en": "House rules for neighbourhood watch groups",
    "intro_en": "Clear agreements keep a group useful, safe and pleasant. Share these house "
    "rules with all members.",
    "body_en": """\
## The SAAR rule

Do you see something suspicious? Always follow the SAAR rule:

1. **S – Signal (Signaleren).** You notice a suspicious situation. Pay close attention:
   who, what, where, which way is someone going? Remember a description or a licence plate.
2. **A – Alert (Alarmeren).** Call **112** first. Say that you are calling from a
   neighbourhood watch group. Only then inform the group.
3. **A – App group (App-groep informeren).** Post a short message in the group: what you
   saw, where and when. Mention that the police have been called.
4. **R – Respond (Reageren).** Respond only if it is safe. Watch from your home, switch on
   the light, but never go after anyone yourself.

## What we do

- We use the group only for messages about safety in the neighbourhood.
- We call 112 first and only then post a message in the group.
- We write briefly and clearly: what, where, when, description.
- We let the group know when the situation is over ("police on site", "false alarm").
- We treat each other with respect.

## What we don't do

- **No chatting.** No jokes, videos, birthday wishes or appeals for a lost cat. You can
  start a separate neighbourhood group for that.
- **No public photos of suspects' faces.** A photo can help, but give it to the police.
  Never post it on social media or outside the group.
- **No vigilantism.** We do not detain, chase or threaten anyone.
- **No discrimination.** We look at behaviour, not at skin colour, background, religion or
  clothing. Nobody is suspicious because they look different.
- **No sharing of personal data** about neighbours or suspects, such as names, addresses or
  licence plates linked to a name, beyond what the police need.

## Privacy in the group

- Members can see each other's phone numbers. So ask permission before you add someone.
- Anyone who moves away or wants to stop leaves the group. The admin removes former
  members.
- Do not forward messages from the group to others.

## The admin's role

- The admin adds new members and explains the house rules.
- The admin speaks to members who do not keep to the rules. If that does not help, the admin
  may remove someone from the group.
- The admin keeps the group's details on this portal up to date.
""",
}

NIEUWE_GROEP = {
    "title": "Een nieuwe groep starten",
    "intro": "Is er in uw straat nog geen buurtpreventiegroep? In zeven stappen start u er "
    "zelf een. Aanmelden bij ons is gratis.",
    "body": """\
## Stap 1: Zoek buren die meedoen

Kijk eerst op de [voorpagina](/) of er al een groep is voor uw postcode. Is die er niet,
praat dan met uw buren. Een groep werkt goed met 15 tot 80 deelnemers uit een paar straten.
Zoek ten minste één andere bewoner die samen met u beheerder wil zijn. Zo staat u er niet
alleen voor en is er altijd iemand bereikbaar.

Tips:

- Doe een briefje in de bus met uitleg en uw contactgegevens.
- Spreek buren aan tijdens een buurtfeest of bij de school.
- Vraag of de gemeente of de wijkagent een informatieavond wil organiseren.

## Stap 2: Kies het platform

De meeste groepen gebruiken WhatsApp, maar het kan ook met een andere chat-app, zoals
Signal. Kies een app die de meeste buren al hebben. Zet in de instellingen dat alleen
beheerders nieuwe deelnemers mogen toevoegen en de groepsgegevens mogen wijzigen.

## Stap 3: Spreek huisregels af

Gebruik onze [huisregels](/huisregels/) met de SAAR-regel: Signaleren, Alarmeren (112),
App-groep informeren en Reageren alleen als het veilig is. Zet de huisregels in de
beschrijving van de groep en stuur ze naar iedere nieuwe deelnemer.

## Stap 4: Meld uw groep gratis aan op dit portaal

Als beheerder maakt u een account aan en meldt u de groep aan met de postcodes die hij
dekt. Bewoners vinden uw groep dan als ze op hun postcode zoeken, en kunnen vragen om mee
te doen. Hun verzoek komt bij u binnen; u beslist zelf wie u toevoegt. Uw e-mailadres en
telefoonnummer tonen we nooit openbaar.

## Stap 5: Meld de groep bij de gemeente en de wijkagent

- **Gemeente:** meld de groep bij uw gemeente, vaak bij de afdeling Openbare Orde en
  Veiligheid. Veel gemeenten houden een lijst bij en helpen met bordjes.
- **Wijkagent:** laat de wijkagent weten dat de groep er is en wie de beheerders zijn. De
  naam van uw wijkagent vindt u op politie.nl. Sommige wijkagenten willen graag zelf in de
  groep; spreek samen af wat handig is.

## Stap 6: Hang bordjes op

De bekende bordjes "WhatsApp BuurtPreventie" laten zien dat de buurt oplet. Dat schrikt
inbrekers af. Vraag bij uw gemeente of zij bordjes leveren en ophangen. Hang zelf nooit
bordjes aan lantaarnpalen zonder toestemming van de gemeente.

## Stap 7: Houd de groep actueel

- Verwijder deelnemers die verhuisd zijn.
- Controleer een paar keer per jaar of uw gegevens op dit portaal nog kloppen.
- Volg de gratis e-learning voor beheerders. Dan krijgt uw groep het kenmerk "getrainde
  beheerder".
- Stopt u als beheerder? Zoek op tijd een opvolger en geef dat door via dit portaal.
""",
    "title_en": "Starting a new group",
    "intro_en": "Is there no neighbourhood watch group in your street yet? Start one yourself "
    "in seven steps. Registering with us is free.",
    "body_en": """\
## Step 1: Find neighbours who want to join

First check on the [home page](/) whether there is already a group for your postcode. If
there is not, talk to your neighbours. A group works well with 15 to 80 members from a few
streets. Find at least one other resident who wants to be an admin with you. That way you
are not on your own and someone is always available.

Tips:

- Put a note through letterboxes with an explanation and your contact details.
- Talk to neighbours at a street party or at the school gate.
- Ask whether the municipality or the neighbourhood police officer would organise an
  information evening.

## Step 2: Choose the platform

Most groups use WhatsApp, but another chat app such as Signal works too. Choose an app
that most neighbours already have. In the settings, allow only admins to add new members
and to change the group details.

## Step 3: Agree on house rules

Use our [house rules](/huisregels/) with the SAAR rule: Signal, Alert (112), inform the App
group and Respond only if it is safe. Put the house rules in the group description and send
them to every new member.

## Step 4: Register your group on this portal for free

As an admin you create an account and register the group with the postcodes it covers.
Residents will then find your group when they search for their postcode, and can ask to
join. Their request comes to you; you decide whom to add. We never show your e-mail
address or phone number publicly.

## Step 5: Register the group with the municipality and the neighbourhood police officer

- **Municipality:** register the group with your municipality, often with the public order
  and safety department. Many municipalities keep a list and help with signs.
- **Neighbourhood police officer (wijkagent):** let them know that the group exists and who
  the admins are. You can find your officer's name on politie.nl. Some officers like to join
  the group themselves; agree together on what works best.

## Step 6: Put up signs

The well-known "WhatsApp BuurtPreventie" signs show that the neighbourhood is watching. That
deters burglars. Ask your municipality whether they supply and put up signs. Never attach
signs to lamp posts yourself without the municipality's permission.

## Step 7: Keep the group up to date

- Remove members who have moved away.
- Check a few times a year whether your details on this portal are still correct.
- Take the free e-learning course for admins. Your group then gets the "trained admin"
  badge.
- Stepping down as an admin? Find a successor in good time and pass this on through this
  portal.
""",
}

PRIVACY = {
    "title": "Privacyverklaring",
    "intro": "Welke gegevens bewaart dit portaal, waarom en hoe lang? En welke rechten heeft "
    "u? Versie 2026-1.",
    "body": """\
Stichting WhatsApp BuurtPreventie is verantwoordelijk voor de gegevens op dit portaal. We
houden ons aan de Algemene verordening gegevensbescherming (AVG). We bewaren zo weinig
mogelijk en niet langer dan nodig. We verkopen uw gegevens nooit.

## Welke gegevens bewaren we?

### Beheerders van een groep

- Naam, e-mailadres en mobiel nummer.
- Welke groep u beheert en welke postcodes de groep dekt.

Uw e-mailadres, mobiele nummer en achternaam tonen we **nooit openbaar**. Bij een groep
staat alleen uw voornaam en de eerste letter van uw achternaam. De politie en medewerkers
van de gemeente waar uw groep actief is, kunnen u bereiken. Uw e-mailadres zien zij alleen
als u daar toestemming voor geeft.

### Bewoners die vragen om mee te doen met een groep

- Naam, e-mailadres, telefoonnummer en adres.

Alleen de beheerders van **die ene groep** zien uw verzoek. Zij hebben uw gegevens nodig om
te controleren of u in de buurt woont en om u toe te voegen.

### Wachtlijst

Is er voor uw postcode nog geen groep, dan kunt u op een wachtlijst. We bewaren dan uw naam,
e-mailadres en postcode om u te laten weten wanneer er een groep start.

### Accounts en e-learning

- Naam, e-mailadres en wachtwoord (versleuteld opgeslagen; niemand kan het lezen).
- Uw voortgang in de e-learning en uw certificaat.
- Wanneer u akkoord ging met deze privacyverklaring en met welke versie.

### Panels

Doet u mee aan een panel, dan bewaren we uw antwoorden. Bij een **anonieme ronde** bewaren
we uw antwoorden zonder enige koppeling aan uw naam of account. Niemand, ook het bestuur
niet, kan zien welke antwoorden van u zijn.

### Technische gegevens

- Een sessiecookie om u ingelogd te houden, een cookie tegen misbruik van formulieren en
  een cookie voor uw taalkeuze. We gebruiken **geen** cookies om u te volgen en **geen**
  advertenties of bezoekersstatistieken van anderen.
- Bij te veel mislukte inlogpogingen bewaren we tijdelijk het e-mailadres en het IP-adres,
  om uw account te beschermen.

## Waarom bewaren we deze gegevens?

- Om bewoners en groepen met elkaar in contact te brengen.
- Om beheerders te helpen met hun groep en met de e-learning.
- Om politie en gemeenten te laten weten welke groepen er zijn.
- Om het portaal veilig te houden tegen misbruik.

## Hoe lang bewaren we uw gegevens?

| Gegevens | Hoe lang |
| --- | --- |
| Verzoek om mee te doen, behandeld | 30 dagen na het besluit van de beheerder |
| Verzoek om mee te doen, niet behandeld | 60 dagen na het verzoek |
| Wachtlijst | 1 jaar na aanmelding |
| Verstuurde e-mails | 30 dagen |
| Mislukte inlogpogingen | 30 dagen |
| Account, groep en e-learning | Tot u uw account verwijdert |

## Uw rechten

Volgens de AVG heeft u deze rechten:

- **Inzage:** u mag weten welke gegevens we van u hebben.
- **Correctie:** kloppen uw gegevens niet, dan passen we ze aan. Veel gegevens past u zelf
  aan onder "Mijn account".
- **Verwijdering:** u mag vragen om uw gegevens te wissen. Als beheerder kunt u zelf uw
  account verwijderen.
- **Export:** u mag uw gegevens krijgen in een bestand dat u kunt meenemen.
- **Bezwaar:** u mag bezwaar maken tegen het gebruik van uw gegevens.

We reageren binnen een maand op uw verzoek.

## Contact en klachten

Heeft u een vraag of wilt u een van uw rechten gebruiken? Mail naar
[privacy@wabp.nl](mailto:privacy@wabp.nl). Bent u niet tevreden over hoe wij met uw
gegevens omgaan? Dan kunt u een klacht indienen bij de Autoriteit Persoonsgegevens.

## Versie

Dit is **versie 2026-1** van de privacyverklaring. Als we iets belangrijks veranderen,
laten we dat weten aan iedereen met een account.
""",
    "title_en": "Privacy statement",
    "intro_en": "What data does this portal keep, why and for how long? And what are your "
    "rights? Version 2026-1.",
    "body_en": """\
The WhatsApp Neighbourhood Watch Foundation (Stichting WhatsApp BuurtPreventie) is
responsible for the data on this portal. We comply with the General Data Protection
Regulation (GDPR, in Dutch: AVG). We keep as little as possible and no longer than needed.
We never sell your data.

## What data do we keep?

### Group admins

- Name, e-mail address and mobile number.
- Which group you administer and which postcodes the group covers.

We **never show publicly** your e-mail address, mobile number or last name. A group shows
only your first name and the initial of your last name. The police and the staff of the
municipality where your group is active can reach you. They see your e-mail address only if
you give permission for that.

### Residents who ask to join a group

- Name, e-mail address, phone number and address.

Only the admins of **that one group** see your request. They need your details to check that
you live in the area and to add you.

### Waiting list

If there is no group for your postcode yet, you can join a waiting list. We then keep your
name, e-mail address and postcode to let you know when a group starts.

### Accounts and e-learning

- Name, e-mail address and password (stored encrypted; nobody can read it).
- Your progress in the e-learning course and your certificate.
- When you agreed to this privacy statement and which version.

### Panels

If you take part in a panel, we keep your answers. In an **anonymous round** we keep your
answers without any link to your name or account. Nobody, not even the board, can see which
answers are yours.

### Technical data

- A session cookie to keep you logged in, a cookie against misuse of forms and a cookie for
  your language choice. We use **no** tracking cookies and **no** third-party advertising or
  visitor statistics.
- After too many failed login attempts we temporarily keep the e-mail address and IP
  address, to protect your account.

## Why do we keep this data?

- To put residents and groups in touch with each other.
- To help admins with their group and with the e-learning.
- To let the police and municipalities know which groups exist.
- To protect the portal against misuse.

## How long do we keep your data?

| Data | How long |
| --- | --- |
| Request to join, handled | 30 days after the admin's decision |
| Request to join, not handled | 60 days after the request |
| Waiting list | 1 year after signing up |
| Sent e-mails | 30 days |
| Failed login attempts | 30 days |
| Account, group and e-learning | Until you delete your account |

## Your rights

Under the GDPR you have these rights:

- **Access:** you may know which data we hold about you.
- **Correction:** if your data is wrong, we correct it. You can change much of it yourself
  under "My account".
- **Erasure:** you may ask us to delete your data. As an admin you can delete your account
  yourself.
- **Export:** you may receive your data in a file you can take with you.
- **Objection:** you may object to the use of your data.

We respond to your request within one month.

## Contact and complaints

Do you have a question, or do you want to use one of your rights? E-mail
[privacy@wabp.nl](mailto:privacy@wabp.nl). Are you not satisfied with how we handle your
data? You can file a complaint with the Dutch Data Protection Authority (Autoriteit
Persoonsgegevens).

## Version

This is **version 2026-1** of the privacy statement. If we change anything important, we
will let everyone with an account know.
""",
}

PAGES = {
    "over-ons": OVER_ONS,
    "memorandum": MEMORANDUM,
    "partners": PARTNERS,
    "huisregels": HUISREGELS,
    "nieuwe-groep-starten": NIEUWE_GROEP,
    "privacy": PRIVACY,
}


def create_pages(apps, schema_editor):
    Page = apps.get_model("wabp", "Page")
    for slug, fields in PAGES.items():
        # Never overwrite a page the board already wrote or edited.
        Page.objects.get_or_create(slug=slug, defaults=fields)


def delete_pages(apps, schema_editor):
    Page = apps.get_model("wabp", "Page")
    for slug, fields in PAGES.items():
        # Keep a page the board has edited since: its text is no longer ours to remove.
        Page.objects.filter(slug=slug, body=fields["body"], body_en=fields["body_en"]).delete()


class Migration(migrations.Migration):
    dependencies = [("wabp", "0001_initial")]

    operations = [migrations.RunPython(create_pages, delete_pages)]
