import pytest
from django.core.management import CommandError, call_command
from django_tasks import TaskResultStatus

from jigiya.places.models import Place
from jigiya.places.tasks import place_tree_verify


def test_the_worker_runs_a_queued_task_and_keeps_its_result(transactional_db, cast):
    # Transactional: the worker closes its database connection when it finishes, as it should.
    result = place_tree_verify.enqueue()
    assert result.status == TaskResultStatus.READY
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == []


def test_verify_places_finds_a_broken_path(cast, capsys):
    call_command("verify_places")
    assert "sound" in capsys.readouterr().out
    Place.objects.filter(pk=cast.community_a.pk).update(path="broken/")
    with pytest.raises(CommandError, match="1 problem"):
        call_command("verify_places")
    assert "path 'broken/'" in capsys.readouterr().err
