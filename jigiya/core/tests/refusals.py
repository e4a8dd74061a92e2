"""One way for a test to say "the service refused, and nothing changed"."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError


def refused_unchanged(state: Callable[[], Any], call: Callable[..., Any], **kwargs: Any) -> dict:
    """Call a service that must refuse: returns its ValidationError's messages by field, after
    asserting that `state()` (counts, balances, hashes) is what it was before the call."""
    before = state()
    with pytest.raises(ValidationError) as refused:
        call(**kwargs)
    assert state() == before
    return refused.value.message_dict
