"""Built-in vocabularies for the synthetic corpus, most frequent first.

The order matters: the generator draws words with Zipf weights by rank, so the
function words come first, then the vocabulary of diplomatic reporting, then a
long tail of made-up words that gives every corpus its rare terms.
"""

import random

ENGLISH_COMMON = """
the of and to in a on for with that is was said by as at from it its be has
have will are were this which their an not but also after he they more who
been his had about between two new would over other during first into its all
""".split()

ENGLISH_DOMAIN = """
minister foreign relations cooperation meeting government president country
countries bilateral visit talks agreement ministry official state economic
trade energy security development parties sides delegation deputy embassy
ambassador capital region regional international national relations support
issues process discussed signed stressed noted expressed held continue
partnership strategic investment projects project sector transport
infrastructure oil gas pipeline electricity reconstruction humanitarian
political dialogue interest mutual importance level highlevel framework
prospects consultations commission joint session summit conference council
parliament parliamentary delegation memorandum protocol declaration treaty
negotiations peace stability border water agriculture tourism education
culture cultural university students scholarship exchange heritage climate
environment emissions renewable solar wind investment investors companies
business forum exports imports tariffs customs logistics corridor railway
highway port aviation flights airline banking finance loan fund budget
growth inflation market markets prices production supply demand crude barrels
refinery field fields exploration contract contracts consortium shares
spokesperson statement press briefing interview remarks invitation welcomed
congratulated condolences anniversary ceremony reception dinner residence
palace headquarters capital city province governor mayor municipality
representatives officials experts specialists working group groups agenda
issues topics initiatives initiative proposals proposal resolution
sanctions diplomacy diplomatic mission missions consulate consul visa
citizens community diaspora migrants refugees displaced returnees
demining mines landmines security defence defense military army forces
exercises training counterterrorism terrorism extremism intelligence police
cybersecurity digital technology innovation telecommunications satellite
space science research health hospital medical vaccines pandemic food grain
wheat fertilizer drought irrigation dam river basin reservoir desert
sports games championship olympic football music festival exhibition film
media journalists newspaper agency television broadcast freedom rights law
justice court judicial constitution election elections vote voters campaign
coalition opposition reform reforms corruption transparency governance
""".split()

GERMAN_COMMON = """
der die und in den von zu das mit sich des auf für ist im dem nicht ein eine
als auch es an werden aus er hat dass sie nach wird bei einer um am sind noch
wie einem über einen so zum war haben nur oder aber vor zur bis mehr durch
""".split()

GERMAN_DOMAIN = """
minister außenminister außenministerium beziehungen zusammenarbeit treffen
regierung präsident land länder bilateral besuch gespräche abkommen
ministerium staatsbesuch delegation stellvertreter botschaft botschafter
hauptstadt region regional international national unterstützung fragen
prozess erörtert unterzeichnet betont erklärt fortsetzen partnerschaft
strategisch investitionen projekte projekt sektor verkehr infrastruktur
erdöl erdgas pipeline strom wiederaufbau humanitär politisch dialog
interesse gegenseitig bedeutung ebene rahmen aussichten konsultationen
kommission gemeinsam sitzung gipfel konferenz rat parlament parlamentarisch
absichtserklärung protokoll erklärung vertrag verhandlungen frieden
stabilität grenze wasser landwirtschaft tourismus bildung kultur kulturell
universität studenten stipendium austausch erbe klima umwelt emissionen
erneuerbar sonne wind investoren unternehmen wirtschaft forum exporte
importe zölle logistik korridor eisenbahn autobahn hafen luftfahrt flüge
banken finanzen kredit fonds haushalt wachstum inflation markt märkte
preise produktion versorgung nachfrage rohöl raffinerie vertrag verträge
sprecher sprecherin mitteilung pressekonferenz interview einladung begrüßt
gratuliert jahrestag zeremonie empfang residenz palast hauptsitz provinz
gouverneur bürgermeister vertreter beamte experten arbeitsgruppe tagesordnung
themen initiativen initiative vorschläge vorschlag resolution sanktionen
diplomatie diplomatisch mission konsulat visum bürger gemeinschaft
diaspora migranten flüchtlinge vertriebene rückkehrer minenräumung minen
sicherheit verteidigung militär armee streitkräfte übungen ausbildung
terrorismus extremismus geheimdienst polizei cybersicherheit digital
technologie innovation telekommunikation satellit raumfahrt wissenschaft
forschung gesundheit krankenhaus medizinisch impfstoffe pandemie
lebensmittel getreide weizen dünger dürre bewässerung staudamm fluss becken
wüste sport spiele meisterschaft fußball musik festival ausstellung film
medien journalisten zeitung agentur fernsehen freiheit rechte gesetz
justiz gericht verfassung wahl wahlen abstimmung wähler kampagne koalition
opposition reform reformen korruption transparenz regierungsführung
""".split()

# Syllables for the made-up long tail (and for surnames): each language has its own.
ENGLISH_SYLLABLES = "ba ca da fa ga ha ka la ma na pa ra sa ta va wa za be de fe ge le me ne re se te ve bi di fi ki li mi ni ri si ti vi bo do fo go ko lo mo no po ro so to vo bu du fu gu ku lu mu nu ru su tu ar er or an en in on al el il ol ex".split()  # noqa: E501
GERMAN_SYLLABLES = "ach bach berg burg dorf ecke fel gen hau heim kel ker lin mann mer nau ner reich ring sau schaf stein tal ung wald wei zeit brau fahr gang lich bar sam haft keit".split()  # noqa: E501

TAIL_SIZE = 30_000


def made_up_words(syllables, count, seed):
    """`count` distinct pronounceable words from `syllables`, the same for a seed."""
    rng = random.Random(seed)
    words, seen = [], set()
    while len(words) < count:
        word = "".join(rng.choices(syllables, k=3 + (rng.random() < 0.5)))
        if word not in seen and len(word) >= 6:
            seen.add(word)
            words.append(word)
    return words


def vocabulary(language):
    """The ranked word list for `language` ("en" or "de")."""
    if language == "de":
        tail = made_up_words(GERMAN_SYLLABLES, TAIL_SIZE, seed=49)
        return _dedupe(GERMAN_COMMON + GERMAN_DOMAIN + tail)
    tail = made_up_words(ENGLISH_SYLLABLES, TAIL_SIZE, seed=44)
    return _dedupe(ENGLISH_COMMON + ENGLISH_DOMAIN + tail)


def _dedupe(words):
    return list(dict.fromkeys(words))


FIRST_NAMES = """
Ali Elmar Hikmat Jeyhun Fuad Rashad Anar Leyla Aynur Samir Fariz Hasan Huseyn
Ilham Mehriban Nasimi Ramiz Tural Vugar Zaur Ahmed Mohammed Fuad Haider
Hamid Karim Mustafa Nouri Qasim Salah Sinan Yasin Zaid Fatima Maryam Noor
Anna Thomas Markus Julia Stefan Katrin Olaf Ursula Petra Jan Maria Elena
Pavel Irina Sergei Olga Murat Elif Emre Ayse Giorgi Nino Armen Ani Daniel
Sarah David Laura Michael Rania Omar Layla Tariq Samira Nadia Yusuf Amir
""".split()

SURNAME_STEMS = """
Ali Hajiy Mammad Huseyn Rafiy Bayram Abbas Guliy Jafar Karim Mustaf Nasir
Qasim Rahim Sadig Talib Valiy Zeynal Amir Babay Dashdamir Eyyub Farhad Gasim
Hasan Ibrahim Jalil Kazim Latif Mahmud Najaf Orujal Pashay Ramazan Salim
Tahir Umud Vahid Yusif Zahid Khayrull Khalil Khadim Kharaz Khudad Shukur
Shirin Chalab Chingiz Aghay Bagir Gadir Ismayil Mehdi Nabiy Rustam Sultan
Teymur Elchin Fikrat Hidayat Iskandar Jamal Kamran Murad Nizam Rovsh Sabir
Tofig Vugar Yagub Zakir Babak Emin Gunduz Ilgar Kerim Nadir Ogtay Polad
""".split()

SURNAME_SUFFIXES = ["yev", "ov", "li", "zadeh", "yeva"]

COUNTRIES = [
    # (name, ISO alpha-2 code, other names including the German form and demonym)
    ("Albania", "AL", ["Albanien", "Albanian"]),
    ("Algeria", "DZ", ["Algerien", "Algerian"]),
    ("Armenia", "AM", ["Armenien", "Armenian"]),
    ("Austria", "AT", ["Österreich", "Austrian"]),
    ("Azerbaijan", "AZ", ["Aserbaidschan", "Azerbaijani", "Azərbaycan"]),
    ("Belarus", "BY", ["Weißrussland", "Belarusian"]),
    ("Belgium", "BE", ["Belgien", "Belgian"]),
    ("Brazil", "BR", ["Brasilien", "Brazilian"]),
    ("Bulgaria", "BG", ["Bulgarien", "Bulgarian"]),
    ("Canada", "CA", ["Kanada", "Canadian"]),
    ("China", "CN", ["Chinese", "Volksrepublik China"]),
    ("Croatia", "HR", ["Kroatien", "Croatian"]),
    ("Egypt", "EG", ["Ägypten", "Egyptian"]),
    ("Estonia", "EE", ["Estland", "Estonian"]),
    ("France", "FR", ["Frankreich", "French"]),
    ("Georgia", "GE", ["Georgien", "Georgian"]),
    ("Germany", "DE", ["Deutschland", "German"]),
    ("Greece", "GR", ["Griechenland", "Greek"]),
    ("Hungary", "HU", ["Ungarn", "Hungarian"]),
    ("India", "IN", ["Indien", "Indian"]),
    ("Indonesia", "ID", ["Indonesien", "Indonesian"]),
    ("Iran", "IR", ["Iranian", "Persia"]),
    ("Iraq", "IQ", ["Irak", "Iraqi"]),
    ("Israel", "IL", ["Israeli"]),
    ("Italy", "IT", ["Italien", "Italian"]),
    ("Japan", "JP", ["Japanese"]),
    ("Jordan", "JO", ["Jordanien", "Jordanian"]),
    ("Kazakhstan", "KZ", ["Kasachstan", "Kazakh"]),
    ("Kuwait", "KW", ["Kuwaiti"]),
    ("Kyrgyzstan", "KG", ["Kirgisistan", "Kyrgyz"]),
    ("Lebanon", "LB", ["Libanon", "Lebanese"]),
    ("Lithuania", "LT", ["Litauen", "Lithuanian"]),
    ("Moldova", "MD", ["Moldau", "Moldovan"]),
    ("Mongolia", "MN", ["Mongolei", "Mongolian"]),
    ("Morocco", "MA", ["Marokko", "Moroccan"]),
    ("Netherlands", "NL", ["Niederlande", "Dutch"]),
    ("Norway", "NO", ["Norwegen", "Norwegian"]),
    ("Pakistan", "PK", ["Pakistani"]),
    ("Poland", "PL", ["Polen", "Polish"]),
    ("Qatar", "QA", ["Katar", "Qatari"]),
    ("Romania", "RO", ["Rumänien", "Romanian"]),
    ("Russia", "RU", ["Russland", "Russian", "Russian Federation"]),
    ("Saudi Arabia", "SA", ["Saudi-Arabien", "Saudi"]),
    ("Serbia", "RS", ["Serbien", "Serbian"]),
    ("Slovakia", "SK", ["Slowakei", "Slovak"]),
    ("Spain", "ES", ["Spanien", "Spanish"]),
    ("Switzerland", "CH", ["Schweiz", "Swiss"]),
    ("Syria", "SY", ["Syrien", "Syrian"]),
    ("Tajikistan", "TJ", ["Tadschikistan", "Tajik"]),
    ("Tunisia", "TN", ["Tunesien", "Tunisian"]),
    ("Turkey", "TR", ["Türkei", "Türkiye", "Turkish"]),
    ("Turkmenistan", "TM", ["Turkmen"]),
    ("Ukraine", "UA", ["Ukrainian"]),
    ("United Arab Emirates", "AE", ["Vereinigte Arabische Emirate", "UAE"]),
    ("United Kingdom", "GB", ["Großbritannien", "British", "UK"]),
    ("United States", "US", ["Vereinigte Staaten", "American", "USA"]),
    ("Uzbekistan", "UZ", ["Usbekistan", "Uzbek"]),
]

INTERGOVERNMENTAL = [
    ("United Nations", "UN", ["Vereinte Nationen"]),
    ("European Union", "EU", ["Europäische Union"]),
    ("Organization of Islamic Cooperation", "OIC", []),
    ("Organization of the Petroleum Exporting Countries", "OPEC", []),
    ("Organization for Security and Co-operation in Europe", "OSCE", ["OSZE"]),
    ("Council of Europe", "", ["Europarat"]),
    ("Non-Aligned Movement", "NAM", ["Bewegung der Blockfreien Staaten"]),
    ("Organization of Turkic States", "OTS", []),
    ("World Bank", "", ["Weltbank"]),
    ("International Monetary Fund", "IMF", ["Internationaler Währungsfonds"]),
    ("Arab League", "", ["Arabische Liga"]),
    ("Economic Cooperation Organization", "ECO", []),
]

MINISTRY_FIELDS = [
    ("Foreign Affairs", "Auswärtige Angelegenheiten"),
    ("Economy", "Wirtschaft"),
    ("Energy", "Energie"),
    ("Defence", "Verteidigung"),
    ("Culture", "Kultur"),
    ("Education", "Bildung"),
    ("Transport", "Verkehr"),
    ("Agriculture", "Landwirtschaft"),
]

TOPICS = [
    ("Trade", ["Handel"]),
    ("Energy", ["Energie"]),
    ("Climate", ["Klima", "COP29"]),
    ("Culture", ["Kultur"]),
    ("Reconstruction", ["Wiederaufbau"]),
    ("Security", ["Sicherheit"]),
    ("Education", ["Bildung"]),
    ("Transport", ["Verkehr"]),
    ("Health", ["Gesundheit"]),
    ("Agriculture", ["Landwirtschaft"]),
    ("Tourism", ["Tourismus"]),
    ("Humanitarian aid", ["Humanitäre Hilfe"]),
    ("Migration", ["Migration"]),
    ("Water", ["Wasser"]),
    ("Finance", ["Finanzen"]),
    ("Technology", ["Technologie"]),
    ("Sports", ["Sport"]),
    ("Elections", ["Wahlen"]),
    ("Human rights", ["Menschenrechte"]),
    ("Diaspora", ["Diaspora"]),
]

CITIES = """
Baku Baghdad Berlin Vienna Ankara Moscow Tbilisi Tehran Doha Riyadh Cairo
Paris London Rome Brussels Geneva Astana Tashkent Kyiv Warsaw Beijing Tokyo
Amman Beirut Kuwait Erbil Basra Ganja Shusha Istanbul Munich Hamburg
""".split()
SOURCE_WORDS = [
    "Courier", "Herald", "Monitor", "Observer", "Post", "Chronicle", "Gazette",
    "Dispatch", "Bulletin", "Review", "Rundschau", "Kurier", "Zeitung", "Bote",
]  # fmt: skip
SOURCE_ADJECTIVES = [
    "Daily", "Caspian", "Eastern", "Global", "Regional", "Evening", "Morning",
    "Neue", "Allgemeine", "Freie",
]  # fmt: skip
