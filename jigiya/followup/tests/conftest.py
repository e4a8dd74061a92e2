"""The follow-up's tests share the registry's cast: a CHW of Community A, the Diarra
household, Mariam Traoré and her pregnancy (one definition, in the registry's conftest)."""

from jigiya.registry.tests.conftest import chw, household, mother, pregnancy

__all__ = ["chw", "household", "mother", "pregnancy"]
