"""Every read of the registry, scoped to what the user may see.

Outside the user's places a household or person does not exist for them (404); inside, a role
without the health program's view permission is refused (403)."""

from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet

from jigiya.accounts.access import Actor, get_in_scope, require_perm_at, scope_q
from jigiya.accounts.roles import Perm
from jigiya.places.models import Place, PlaceKind
from jigiya.registry.models import (
    AncContact,
    Enrollment,
    Household,
    LeastAccessAssessment,
    Person,
    Pregnancy,
    name_key,
)

if TYPE_CHECKING:
    from jigiya.accounts.models import User

HOUSEHOLD_PATH = "community__path"
PERSON_PATH = "household__community__path"


# --- search by name: accents and case aside -------------------------------------------------

# The accented forms of a letter in the names of Mali (French spelling): a search for "cisse"
# finds "Cissé". People are found by `Person.name_key` (stored without accents); a household's
# name has no such key, so its words are matched with each letter's forms.
ACCENTED = {"a": "àâäáã", "c": "ç", "e": "éèêë", "i": "îïíì", "n": "ñ", "o": "ôöóò", "u": "ùûüú"}


def search_words(text: str) -> list[str]:
    """The words of a search as names are compared: no accents, case or punctuation."""
    words = name_key(text, "").split()
    kept = ("".join(char for char in word if char.isalnum()) for word in words)
    return [word for word in kept if word]


def folded_pattern(word: str) -> str:
    """A regular expression matching `word` (from `search_words`) with or without accents, in
    either case ("cisse" → "[cCçÇ][iIîÎ…]…"). Only letters and digits: nothing to escape."""
    return "".join(
        f"[{char}{char.upper()}{ACCENTED.get(char, '')}{ACCENTED.get(char, '').upper()}]"
        if char.isalpha()
        else char
        for char in word
    )


def name_search_q(word: str, *, person: str, household: str) -> Q:
    """One word of a search found in a person's name (`person` is the path to a `Person`, ""
    for the person itself) or in a household's name (`household` is the path to it)."""
    key = f"{person}__name_key__contains" if person else "name_key__contains"
    return Q(**{key: word}) | Q(**{f"{household}__name__iregex": folded_pattern(word)})


def household_list(
    *, user: Actor, community: Place | None = None, search: str = "", chw: "User | None" = None
) -> QuerySet[Household]:
    """Active households in the user's places (health view), optionally filtered, with their
    active members, oldest first (`active_members`: what tells seven "Famille Cissé" apart;
    one query for the page). A search keeps the households where every word is in the
    household's name or in a member's name, accents and case aside."""
    households = (
        Household.objects.filter(scope_q(user, Perm.HEALTH_VIEW, HOUSEHOLD_PATH), is_active=True)
        .select_related("community", "chw", "head")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=Person.objects.filter(is_active=True).order_by("birth_date", "pk"),
                to_attr="active_members",
            )
        )
        .order_by("name")
    )
    if community is not None:
        households = households.filter(community__path__startswith=community.path)
    if chw is not None:
        households = households.filter(chw=chw)
    for word in search_words(search):
        named = Person.objects.filter(name_key__contains=word).values("household")
        households = households.filter(Q(name__iregex=folded_pattern(word)) | Q(pk__in=named))
    return households


def household_get(*, user: Actor, household_id: Any) -> Household:
    """One household: 404 outside the user's places, 403 when the role may not see health
    records there."""
    household = get_in_scope(
        Household.objects.select_related("community__health_center", "chw", "head"),
        user,
        Perm.PLACES_VIEW,
        HOUSEHOLD_PATH,
        pk=household_id,
    )
    require_perm_at(user, Perm.HEALTH_VIEW, household.community)
    return household


def household_members(*, household: Household) -> list[Person]:
    """Every member (active first), with their open enrollments and pregnancies: 3 queries."""
    return list(
        Person.objects.filter(household=household)
        .select_related("born_of__woman")
        .order_by("-is_active", "birth_date")
        .prefetch_related(
            Prefetch(
                "enrollments",
                queryset=Enrollment.objects.filter(end__isnull=True),
                to_attr="open_enrollments",
            ),
            Prefetch(
                "pregnancies",
                queryset=Pregnancy.objects.filter(outcome_date__isnull=True, is_active=True),
                to_attr="open_pregnancies",
            ),
        )
    )


def household_active_members(*, household: Household) -> QuerySet[Person]:
    """The active members (for choosing the head)."""
    return Person.objects.filter(household=household, is_active=True).order_by(
        "family_name", "given_name"
    )


def household_assessment(*, household: Household) -> LeastAccessAssessment | None:
    """The least-access assessment in force (the latest)."""
    return household.assessments.order_by("-assessed_on", "-created_at").first()


def person_get(*, user: Actor, person_id: Any) -> Person:
    """One person, scoped like their household."""
    person = get_in_scope(
        Person.objects.select_related(
            "household__community__health_center", "household__chw", "born_of__woman"
        ),
        user,
        Perm.PLACES_VIEW,
        PERSON_PATH,
        pk=person_id,
    )
    require_perm_at(user, Perm.HEALTH_VIEW, person.household.community)
    return person


def person_pregnancies(*, person: Person) -> list[Pregnancy]:
    """Her pregnancies, newest first, with ANC contacts, the CHW's checks and the newborns
    registered (a fixed number of queries)."""
    return list(
        Pregnancy.objects.filter(woman=person)
        .select_related("outcome_health_center")
        .prefetch_related(
            Prefetch("anc_contacts", queryset=AncContact.objects.select_related("health_center")),
            "checks__visit",
            "newborns",
        )
        .order_by("-edd")
    )


def person_enrollments(*, person: Person) -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(person=person).order_by("-start")


def enrollment_get(*, user: Actor, enrollment_id: Any) -> Enrollment:
    """One enrollment, scoped like the person's household."""
    enrollment = get_in_scope(
        Enrollment.objects.select_related("person__household__community"),
        user,
        Perm.PLACES_VIEW,
        f"person__{PERSON_PATH}",
        pk=enrollment_id,
    )
    require_perm_at(user, Perm.HEALTH_VIEW, enrollment.person.household.community)
    return enrollment


def pregnancy_get(*, user: Actor, pregnancy_id: Any) -> Pregnancy:
    pregnancy = get_in_scope(
        Pregnancy.objects.select_related("woman__household__community__health_center"),
        user,
        Perm.PLACES_VIEW,
        "woman__household__community__path",
        pk=pregnancy_id,
    )
    require_perm_at(user, Perm.HEALTH_VIEW, pregnancy.woman.household.community)
    return pregnancy


def recording_communities(*, user: Actor) -> QuerySet[Place]:
    """The communities where the user records health data (for forms)."""
    return Place.objects.filter(
        scope_q(user, Perm.HEALTH_RECORD), kind=PlaceKind.COMMUNITY, is_active=True
    ).order_by("name")
