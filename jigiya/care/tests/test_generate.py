"""Generated care at the tiny scale: made once, consistent (the ledger verifies), reset."""

import io

from django.core.management import call_command

from jigiya.care import generate, ledger
from jigiya.care.models import CareLine, Claim, PaymentEntry
from jigiya.registry.models import LeastAccessAssessment


def _generate(*args):
    out = io.StringIO()
    call_command("generate", *args, "--no-progress", stdout=out)
    return out.getvalue()


def test_tiny_scale_care_is_generated_once_verified_and_reset(db):
    output = _generate("--scale", "tiny")
    counts = generate.count()
    assert counts["covered people"] > 0 and counts["care lines"] > counts["covered people"]
    assert any(line.startswith("care") for line in output.splitlines())
    assert ledger.verify().problems == []
    claims = Claim.objects.filter(lines__coverage__scheme__name=generate.NAME).distinct()
    paid = claims.filter(status="closed")
    assert paid.exists() and PaymentEntry.objects.filter(claim__in=claims).count() == paid.count()
    assert claims.filter(status="approved").exists()  # the last two months
    lines = CareLine.objects.count()
    assert "care: already generated" in _generate("--scale", "tiny")
    assert CareLine.objects.count() == lines
    generate.reset()
    assert generate.count() == {"covered people": 0, "care lines": 0}
    families = LeastAccessAssessment.objects.filter(household__name__startswith="GEN-Famille ")
    assert not families.exists()  # a second run makes them again under the same ids
    assert not PaymentEntry.objects.filter(claim__health_center__code__startswith="GEN-").exists()
    assert ledger.verify().problems == []  # the demo world's payments are still whole
