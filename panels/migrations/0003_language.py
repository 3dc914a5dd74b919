from django.db import migrations, models

# The English of the two panels 0002 created; the board edits both languages in the admin.
ENGLISH = {
    "beheerderspanel": (
        "Group admins' panel",
        "Admins of neighbourhood watch groups whom the board asks for their views on how the "
        "foundation works, on new ideas and on its training.",
    ),
    "gemeentepanel": (
        "Municipalities' panel",
        "Municipal staff who work directly or indirectly with neighbourhood watch groups.",
    ),
}


def add_english(apps, schema_editor):
    Panel = apps.get_model("panels", "Panel")
    for slug, (name, description) in ENGLISH.items():
        Panel.objects.filter(slug=slug, name_en="").update(name_en=name, description_en=description)


class Migration(migrations.Migration):
    dependencies = [("panels", "0002_default_panels")]

    operations = [
        migrations.AddField(
            model_name="panel",
            name="description_en",
            field=models.TextField(blank=True, verbose_name="beschrijving (Engels)"),
        ),
        migrations.AddField(
            model_name="panel",
            name="name_en",
            field=models.CharField(blank=True, max_length=100, verbose_name="naam (Engels)"),
        ),
        migrations.AlterField(
            model_name="round",
            name="shuffled_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="geschud"
            ),
        ),
        migrations.RunPython(add_english, migrations.RunPython.noop),
    ]
