"""The report helper's form: what a member saw, put behaviour first, as a chat message."""

import re

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Words about origin or skin colour, in Dutch and English: they say nothing about what
# someone does, and neighbourhood apps drew criticism for ethnic profiling. Matched as whole
# words (so "zwarte jas" stays fine: colours of clothing help to recognise someone).
ORIGIN_WORDS = [
    "getint",
    "getinte",
    "huidskleur",
    "donkere huid",
    "donker van huid",
    "buitenlands",
    "buitenlandse",
    "buitenlander",
    "buitenlanders",
    "allochtoon",
    "allochtone",
    "allochtonen",
    "marokkaan",
    "marokkaans",
    "marokkaanse",
    "turk",
    "turks",
    "turkse",
    "antilliaan",
    "antilliaans",
    "surinamer",
    "surinaams",
    "surinaamse",
    "afrikaan",
    "afrikaans",
    "afrikaanse",
    "arabier",
    "arabisch",
    "arabische",
    "oost-europeaan",
    "oost-europees",
    "oost-europese",
    "oostblokker",
    "roma",
    "zigeuner",
    "zigeuners",
    "skin colour",
    "skin color",
    "dark-skinned",
    "dark skinned",
    "foreigner",
    "foreign-looking",
    "foreign looking",
    "eastern european",
    "gypsy",
    "gypsies",
    "arab",
    "arabic",
    "african",
    "moroccan",
    "turkish",
]
ORIGIN_PATTERN = re.compile(
    r"(?<!\w)(" + "|".join(re.escape(word) for word in ORIGIN_WORDS) + r")(?!\w)", re.IGNORECASE
)


def origin_words_in(text: str) -> list[str]:
    """The words about origin or skin colour in `text`, as written, each once."""
    found = []
    for match in ORIGIN_PATTERN.finditer(text):
        if match.group(0).lower() not in (word.lower() for word in found):
            found.append(match.group(0))
    return found


class ReportForm(forms.Form):
    """Nothing of this is stored or sent: the answers become a message the member copies."""

    URGENT, NOT_URGENT = "now", "later"
    CALLED_112, CALLED_0900, NOT_CALLED = "112", "0900", "no"

    urgency = forms.ChoiceField(
        label=_("Gebeurt het nu, of is er gevaar?"),
        choices=[
            (URGENT, _("Ja, het gebeurt nu of er is gevaar")),
            (NOT_URGENT, _("Nee, het is voorbij of er is geen spoed")),
        ],
        widget=forms.RadioSelect,
    )
    called = forms.ChoiceField(
        label=_("Heeft u de politie al gebeld?"),
        choices=[
            (CALLED_112, _("Ja, 112")),
            (CALLED_0900, _("Ja, 0900-8844")),
            (NOT_CALLED, _("Nog niet")),
        ],
        widget=forms.RadioSelect,
    )
    behaviour = forms.CharField(
        label=_("Wat ziet u iemand doen?"),
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Beschrijf gedrag: wat doet iemand, en waarom past het niet bij de plek of het "
            "moment? Bijvoorbeeld: voelt aan de portieren van geparkeerde auto's."
        ),
    )
    place = forms.CharField(
        label=_("Waar?"),
        max_length=150,
        help_text=_("Straat en huisnummer in de buurt, of een hoek: Dorpsstraat bij nummer 12."),
    )
    time = forms.TimeField(
        label=_("Hoe laat?"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    direction = forms.CharField(
        label=_("Welke kant ging het op, en hoe?"),
        required=False,
        max_length=150,
        help_text=_("Bijvoorbeeld: te voet richting het station, op een scooter de wijk uit."),
    )
    vehicle = forms.CharField(
        label=_("Voertuig"),
        required=False,
        max_length=200,
        help_text=_("Soort, merk, kleur en kenteken (ook een deel helpt): blauwe Opel, GZ-41…"),
    )
    description = forms.CharField(
        label=_("Signalement (alleen als het helpt om iemand te herkennen)"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Van boven naar beneden: lengte, postuur, hoofd, kleding, schoenen. Geen afkomst "
            "of huidskleur: die zegt niets over wat iemand doet."
        ),
    )

    def _no_origin(self, field: str) -> str:
        text = self.cleaned_data[field].strip()
        if words := origin_words_in(text):
            raise forms.ValidationError(
                gettext(
                    "Beschrijf wat iemand doet of draagt, niet waar iemand vandaan lijkt te "
                    "komen of welke huidskleur iemand heeft. Haal dit weg: %(words)s."
                )
                % {"words": ", ".join(f"“{word}”" for word in words)}
            )
        return text

    def clean_behaviour(self) -> str:
        return self._no_origin("behaviour")

    def clean_description(self) -> str:
        return self._no_origin("description")

    def clean_direction(self) -> str:
        return self._no_origin("direction")

    @property
    def must_call_112(self) -> bool:
        """It is happening now and nobody called 112: calling comes before the chat."""
        data = self.cleaned_data
        return data["urgency"] == self.URGENT and data["called"] != self.CALLED_112

    def chat_message(self) -> str:
        """The message to paste into the group chat, in the page's language."""
        data = self.cleaned_data
        called = {
            self.CALLED_112: gettext("112 is gebeld."),
            self.CALLED_0900: gettext("Gemeld bij de politie (0900-8844)."),
            self.NOT_CALLED: gettext("Nog niet bij de politie gemeld."),
        }[data["called"]]
        heading = (
            gettext("MELDING – het gebeurt nu")
            if data["urgency"] == self.URGENT
            else gettext("MELDING")
        )
        lines = [
            heading,
            f"{gettext('Wat')}: {data['behaviour']}",
            f"{gettext('Waar')}: {data['place']}",
        ]
        if data["time"]:
            lines.append(f"{gettext('Wanneer')}: {data['time']:%H:%M}")
        if data["direction"]:
            lines.append(f"{gettext('Richting')}: {data['direction']}")
        if data["vehicle"]:
            lines.append(f"{gettext('Voertuig')}: {data['vehicle']}")
        if data["description"]:
            lines.append(f"{gettext('Signalement')}: {data['description']}")
        lines += [
            called,
            gettext("Niet zelf achteraan gaan: reageer alleen als het veilig is. Spoed? Bel 112."),
        ]
        return "\n".join(lines)
