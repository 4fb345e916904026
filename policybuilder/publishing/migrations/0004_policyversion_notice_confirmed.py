# Versions published before the effective date was asked for were never asked to confirm short notice:
# False is true of them, so no data migration is needed. Their effective_date column stays as it was.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('publishing', '0003_policyversion_confirmed_findings'),
    ]

    operations = [
        migrations.AlterField(
            model_name='policyversion',
            name='effective_date',
            field=models.DateField(help_text='The date this version takes effect, chosen when it was published (see publishing.notice).'),
        ),
        migrations.AddField(
            model_name='policyversion',
            name='notice_confirmed',
            field=models.BooleanField(default=False, help_text='The owner confirmed this change is not material, or that the notice the policy promised was already given, to let it take effect sooner than that notice allows.'),
        ),
    ]
