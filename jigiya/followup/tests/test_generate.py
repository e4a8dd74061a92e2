import io

from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from jigiya.core.generate import discover_steps
from jigiya.followup import generate as followup_generate
from jigiya.followup.models import ChildAssessment, Task, Visit
from jigiya.registry.models import Household, Person


def _generate(*args):
    out = io.StringIO()
    call_command("generate", *args, "--no-progress", stdout=out)
    return out.getvalue()


def test_tiny_scale_families_are_generated_once_and_reset(db):
    """Runs on SQLite and on PostgreSQL (CI), where the rows go through COPY."""
    with CaptureQueriesContext(connection) as queries:
        output = _generate("--scale", "tiny")
    # COPY goes to the driver directly; the executemany path shows in Django's query log.
    inserts = [q for q in queries.captured_queries if "INSERT INTO followup_visit (" in q["sql"]]
    assert bool(inserts) is (connection.vendor != "postgresql")
    counts = followup_generate.count()
    line = next(line for line in output.splitlines() if line.startswith("followup"))
    assert f"{counts['visits']} visit" in line
    assert f"{counts['people']} person" in line
    generated = Household.objects.filter(name__startswith=followup_generate.PREFIX)
    assert generated.count() == 24  # 3 households in each of the 8 communities
    visits = Visit.objects.filter(household__in=generated).count()
    assert visits > 24 * 20  # twice a month for 25 months, a few missed
    assert ChildAssessment.objects.filter(visit__household__in=generated).exists()
    assert Task.objects.filter(household__in=generated, state="open").exists()
    # Each household's CHW is the generated CHW of its community.
    assert not generated.exclude(chw__assignments__place=F("community")).exists()
    checks = ChildAssessment.objects.filter(visit__household__in=generated)
    assert not checks.filter(age_days__isnull=True).exists()
    assert all(isinstance(check.danger_signs, list) for check in checks[:50])
    assert not Visit.objects.filter(household__in=generated, people__isnull=True).exists()
    tasks = Task.objects.filter(household__in=generated)
    assert not tasks.exclude(person__household=F("household")).exists()
    people = Person.objects.count()
    output = _generate("--scale", "tiny")
    assert "followup: already generated" in output
    assert Person.objects.count() == people
    # Later steps hang on the follow-up's families (care covers their children): reset them
    # first, as `jigiya generate --reset` does, then the follow-up's own.
    for step in reversed(discover_steps()):
        if step.name == "followup":
            break
        step.reset()
    followup_generate.reset()
    assert not Household.objects.filter(name__startswith=followup_generate.PREFIX).exists()
    assert Household.objects.exists()  # the demo world's families stay
