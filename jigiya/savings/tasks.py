"""Background tasks of the savings app, run by `jigiya worker` (django-tasks, database backend)."""

from django_tasks import task

from jigiya.core.schedule import daily
from jigiya.savings import heads, services


@daily
@task()
def savings_par_freshen() -> int:
    """Keep PAR > 30 days moving with time: mark stale the months of every community with a
    loan outstanding. Run daily; returns how many communities were marked."""
    return services.par_freshen()


@daily
@task()
def savings_chain_heads_record() -> int:
    """Keep each group's ledger chain head in the audit trail, where the database refuses any
    change: `jigiya verify-ledgers` compares the chains against them. Run daily; returns how
    many heads moved and were recorded."""
    return heads.chain_heads_record()
