from django.db import migrations

PANELS = [
    (
        "beheerderspanel",
        "Beheerderspanel",
        "Beheerders van buurtpreventiegroepen die het bestuur om hun mening vraagt over de "
        "werkwijze, nieuwe ideeën en de trainingen van de stichting.",
    ),
    (
        "gemeentepanel",
        "Gemeentepanel",
        "Medewerkers van gemeenten die direct of indirect met buurtpreventiegroepen werken.",
    ),
]


def create_panels(apps, schema_editor):
    Panel = apps.get_model("panels", "Panel")
    for slug, name, description in PANELS:
        Panel.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})


class Migration(migrations.Migration):
    dependencies = [("panels", "0001_initial")]

    operations = [migrations.RunPython(create_panels, migrations.RunPython.noop)]
