"""Once created the content pages; now empty.

The pages live as Markdown files in wabp/content and are loaded by `manage.py load_pages`
(first_start runs it; `load_pages --update` brings a corrected text to an existing
database). The migration stays so that databases which applied it keep a valid history.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("wabp", "0001_initial")]

    operations = []
