"""Partner logins for the tests of indicator pages (a partner sees what its donor funds): the
helper lives with the donors (`jigiya.donors.tests.partners`); other apps' tests import it here."""

from jigiya.donors.tests.partners import JAN, funded_partner

__all__ = ["JAN", "funded_partner"]
