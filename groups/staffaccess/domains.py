"""The mail domains of the bigger municipalities' own staff, loaded by `load_mail_domains`.

Keyed by the municipality's name as the postcode import writes it. Only domains we are sure
the municipality itself uses for its employees' mail; the board keeps the list in the admin
(`MunicipalityMailDomain`) and the command never changes or removes a row.
"""

MAIL_DOMAINS: dict[str, list[str]] = {
    "Amsterdam": ["amsterdam.nl"],
    "Rotterdam": ["rotterdam.nl"],
    "'s-Gravenhage": ["denhaag.nl"],
    "Utrecht": ["utrecht.nl"],
    "Eindhoven": ["eindhoven.nl"],
    "Groningen": ["groningen.nl"],
    "Tilburg": ["tilburg.nl"],
    "Almere": ["almere.nl"],
    "Breda": ["breda.nl"],
    "Nijmegen": ["nijmegen.nl"],
    "Apeldoorn": ["apeldoorn.nl"],
    "Haarlem": ["haarlem.nl"],
    "Arnhem": ["arnhem.nl"],
    "Enschede": ["enschede.nl"],
    "Amersfoort": ["amersfoort.nl"],
    "Zaanstad": ["zaanstad.nl"],
    "'s-Hertogenbosch": ["s-hertogenbosch.nl"],
    "Haarlemmermeer": ["haarlemmermeer.nl"],
    "Zwolle": ["zwolle.nl"],
    "Leiden": ["leiden.nl"],
    "Maastricht": ["maastricht.nl"],
    "Zoetermeer": ["zoetermeer.nl"],
    "Dordrecht": ["dordrecht.nl"],
    "Delft": ["delft.nl"],
    "Deventer": ["deventer.nl"],
    "Leeuwarden": ["leeuwarden.nl"],
    "Alkmaar": ["alkmaar.nl"],
}
