"""Small built-in word lists that complement Faker's locale data.

Faker's city lists are partly generated (``"Port Andreaview"``) and miss real cities of several
locales, and it has no street-type vocabulary for most languages. These lists are public
knowledge (place names, street types, honorifics); none of it comes from user data.
"""

from __future__ import annotations

__all__ = [
    "COMPANY_WORDS",
    "COUNTRY_ALIASES",
    "MAJOR_CITIES",
    "NAME_PARTICLES",
    "SECONDARY_UNIT_WORDS",
    "STATE_ABBREVIATIONS",
    "STREET_PREFIX_WORDS",
    "STREET_SUFFIX_COMPOUNDS",
    "STREET_SUFFIX_WORDS",
    "TITLES",
]

MAJOR_CITIES = (
    # United States and Canada
    "New York", "Los Angeles", "Chicago", "Houston", "Phoenix", "Philadelphia", "San Antonio",
    "San Diego", "Dallas", "San Jose", "Austin", "Jacksonville", "Fort Worth", "Columbus",
    "Charlotte", "San Francisco", "Indianapolis", "Seattle", "Denver", "Washington", "Boston",
    "El Paso", "Nashville", "Detroit", "Oklahoma City", "Portland", "Las Vegas", "Memphis",
    "Louisville", "Baltimore", "Milwaukee", "Albuquerque", "Tucson", "Fresno", "Sacramento",
    "Kansas City", "Mesa", "Atlanta", "Omaha", "Colorado Springs", "Raleigh", "Miami",
    "Long Beach", "Virginia Beach", "Oakland", "Minneapolis", "Tulsa", "Tampa", "Arlington",
    "New Orleans", "Cleveland", "Honolulu", "Anaheim", "Pittsburgh", "Cincinnati", "St. Louis",
    "Orlando", "Buffalo", "Newark", "Salt Lake City", "Richmond", "Toronto", "Montreal",
    "Vancouver", "Calgary", "Edmonton", "Ottawa", "Winnipeg", "Quebec City",
    # United Kingdom and Ireland
    "London", "Birmingham", "Manchester", "Liverpool", "Leeds", "Sheffield", "Bristol",
    "Glasgow", "Edinburgh", "Cardiff", "Belfast", "Newcastle", "Nottingham", "Leicester",
    "Southampton", "Oxford", "Cambridge", "Brighton", "Dublin", "Cork", "Galway", "Limerick",
    # France, Belgium, Switzerland
    "Paris", "Marseille", "Lyon", "Toulouse", "Nice", "Nantes", "Strasbourg", "Montpellier",
    "Bordeaux", "Lille", "Rennes", "Reims", "Toulon", "Grenoble", "Dijon", "Angers", "Brest",
    "Le Havre", "Saint-Etienne", "Brussels", "Bruxelles", "Antwerp", "Antwerpen", "Ghent",
    "Gent", "Liege", "Zurich", "Geneva", "Geneve", "Genf", "Basel", "Bern", "Lausanne",
    # Germany and Austria
    "Berlin", "Hamburg", "Munich", "Muenchen", "Cologne", "Koeln", "Frankfurt",
    "Frankfurt am Main", "Stuttgart", "Dusseldorf", "Dortmund", "Essen", "Leipzig", "Bremen",
    "Dresden", "Hannover", "Nuremberg", "Nuernberg", "Vienna", "Wien", "Graz", "Linz",
    "Salzburg", "Innsbruck",
    # Spain and Portugal
    "Madrid", "Barcelona", "Valencia", "Seville", "Sevilla", "Zaragoza", "Malaga", "Murcia",
    "Palma", "Bilbao", "Alicante", "Cordoba", "Valladolid", "Vigo", "Gijon", "Granada",
    "Lisbon", "Lisboa", "Porto", "Braga", "Coimbra", "Faro",
    # Italy
    "Rome", "Roma", "Milan", "Milano", "Naples", "Napoli", "Turin", "Torino", "Palermo",
    "Genoa", "Genova", "Bologna", "Florence", "Firenze", "Bari", "Catania", "Venice",
    "Venezia", "Verona",
    # Netherlands
    "Amsterdam", "Rotterdam", "The Hague", "Den Haag", "Utrecht", "Eindhoven", "Groningen",
    "Tilburg", "Almere", "Breda", "Nijmegen", "Haarlem", "Arnhem", "Maastricht",
    # Latin America
    "Sao Paulo", "Rio de Janeiro", "Brasilia", "Salvador", "Fortaleza", "Belo Horizonte",
    "Manaus", "Curitiba", "Recife", "Porto Alegre", "Mexico City", "Ciudad de Mexico",
    "Guadalajara", "Monterrey", "Puebla", "Tijuana", "Buenos Aires", "Rosario",
    "Santiago", "Lima", "Bogota", "Medellin", "Caracas", "Quito", "Montevideo",
    # Elsewhere
    "Tokyo", "Osaka", "Beijing", "Shanghai", "Hong Kong", "Singapore", "Seoul", "Mumbai",
    "Delhi", "New Delhi", "Bangalore", "Bengaluru", "Chennai", "Kolkata", "Hyderabad", "Pune",
    "Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide", "Auckland", "Wellington",
    "Johannesburg", "Cape Town", "Cairo", "Lagos", "Nairobi", "Istanbul", "Dubai", "Moscow",
    "Warsaw", "Prague", "Budapest", "Athens", "Stockholm", "Oslo", "Copenhagen", "Helsinki",
)

COUNTRY_ALIASES = (
    "USA", "U.S.", "U.S.A.", "US", "United States", "United States of America", "America",
    "UK", "U.K.", "Great Britain", "Britain", "England", "Scotland", "Wales",
    "Northern Ireland", "Deutschland", "Germany", "Allemagne", "Alemania", "Germania",
    "Duitsland", "Alemanha", "France", "Frankreich", "Francia", "Frankrijk", "Franca",
    "Espana", "Spain", "Spanien", "Espagne", "Spagna", "Spanje", "Espanha", "Italia", "Italy",
    "Italien", "Italie", "Itali", "Nederland", "Netherlands", "The Netherlands", "Holland",
    "Niederlande", "Pays-Bas", "Paises Bajos", "Paesi Bassi", "Brasil", "Brazil", "Brasilien",
    "Bresil", "Portugal", "Mexico", "Canada", "India", "Osterreich", "Austria", "Schweiz",
    "Suisse", "Svizzera", "Switzerland", "Belgie", "Belgique", "Belgium", "Ireland", "Eire",
    "Russia", "China", "Japan", "Australia", "South Korea", "Korea",
)

STATE_ABBREVIATIONS = (
    # Australia
    "NSW", "VIC", "QLD", "WA", "SA", "TAS", "ACT", "NT",
    # Canada
    "AB", "BC", "MB", "NB", "NL", "NS", "ON", "PE", "QC", "SK", "YT", "NU",
)

# English street types, full and abbreviated (Faker's en_US list adds ~200 more).
STREET_SUFFIX_WORDS = (
    "st", "st.", "street", "ave", "ave.", "av", "avenue", "rd", "rd.", "road", "blvd",
    "blvd.", "boulevard", "ln", "ln.", "lane", "dr", "dr.", "drive", "way", "ct", "ct.",
    "court", "pl", "pl.", "place", "ter", "terrace", "hwy", "highway", "pkwy", "parkway",
    "sq", "square", "cir", "circle", "cres", "crescent", "close", "gardens", "grove", "mews",
    "row", "walk", "hill", "trail", "loop", "plaza", "alley", "broadway",
)
# Romance-language street types that come before the name ("rue de", "calle", "via").
STREET_PREFIX_WORDS = (
    "rue", "avenue", "av.", "boulevard", "bd", "bd.", "chemin", "allee", "impasse", "place",
    "quai", "route", "cours", "square", "calle", "c.", "c/", "avenida", "avda", "avda.",
    "paseo", "plaza", "camino", "carrera", "carretera", "ronda", "travesia", "via", "viale",
    "piazza", "piazzale", "corso", "vicolo", "largo", "strada", "contrada", "borgo", "rua",
    "r.", "travessa", "alameda", "praca", "estrada", "rodovia", "avinguda", "carrer",
    "passeig", "lugar", "urbanizacion", "glorieta", "callejon", "canada", "cuesta", "pasaje",
    "ruela", "beco", "ladeira", "vereda", "viela", "quadra", "setor", "trecho", "rotonda",
    "incrocio", "stretto", "canale", "parque", "residencial", "viaduto", "esplanada",
    "chacara", "sitio", "fazenda", "jardim", "lago", "lagoa", "loteamento", "morro", "nucleo",
    "favela", "feira", "distrito", "condominio", "conjunto", "colonia", "campo", "area",
    "aeroporto", "estacao", "ponte", "passarela", "patio", "rampa", "recanto", "vale",
    "vila", "rambla", "vial", "acceso", "plazuela", "poligono",
)
# Germanic street types written as the end of a compound ("Hauptstraße", "Dorpsstraat").
STREET_SUFFIX_COMPOUNDS = (
    "strasse", "str.", "str", "weg", "allee", "platz", "gasse", "ring", "damm", "ufer",
    "chaussee", "steig", "pfad", "markt", "hof", "garten", "graben", "stieg", "wall", "berg",
    "straat", "laan", "plein", "gracht", "kade", "singel", "dreef", "pad", "baan", "steeg",
    "dijk", "park", "wal", "plantsoen", "kant", "veld", "haven",
)
SECONDARY_UNIT_WORDS = (
    "apt", "apt.", "apartment", "suite", "ste", "unit", "flat", "studio", "floor", "fl",
    "wohnung", "whg", "etage", "appartement", "app", "bat", "batiment", "piso", "puerta",
    "planta", "appartamento", "piano", "interno", "int", "scala", "bus", "andar", "apto",
    "sala", "bloco", "casa", "lote",
)
TITLES = (
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lord", "lady", "rev",
    "herr", "frau", "dipl", "ing", "mag", "m", "mme", "mlle", "sr", "sra", "srta", "don",
    "dona", "dott", "dottssa", "sig", "signor", "signora", "dhr", "mevr", "mevrouw", "jr",
    "ii", "iii", "iv", "phd", "md", "dds", "dvm", "mba", "bsc", "msc", "ba", "ma",
    "b.sc", "m.sc", "b.a", "m.a", "univ", "priv", "doz", "esq", "eng",
)
NAME_PARTICLES = (
    "van", "de", "der", "den", "von", "zu", "und", "da", "das", "do", "dos", "di", "del",
    "della", "la", "le", "du", "des", "ten", "ter", "te", "het", "in", "t", "'t", "y", "e",
    "al", "el", "bin", "ibn", "mac", "st", "st.", "vom", "zum", "zur", "dei", "degli",
)
COMPANY_WORDS = (
    "inc", "inc.", "llc", "ltd", "ltd.", "plc", "corp", "corp.", "co.", "company", "group",
    "gmbh", "ag", "kg", "ohg", "ug", "sarl", "sas", "srl", "spa", "bv", "nv", "vof", "ltda",
    "eireli", "and", "&", "sons", "partners", "holding",
    "holdings", "international", "solutions", "services", "systems", "technologies", "e.k.",
)
