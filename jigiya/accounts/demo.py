"""The demo world's people: one login per role, printed on the login page in demo mode."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jigiya.accounts import services
from jigiya.accounts.models import User
from jigiya.accounts.roles import Role
from jigiya.places.models import Place

DEMO_PASSWORD = "Jigiya-demo-2026"  # noqa: S105 - printed on the demo login page on purpose

# (username, first name, last name, role, place code, what they do)
DEMO_USERS = [
    ("admin", "Awa", "Traoré", Role.ADMIN, "ML", _("manages places and users")),
    ("manager", "Fatoumata", "Diarra", Role.PROGRAM_MANAGER, "ML", _("runs the programs")),
    ("suivi", "Ibrahim", "Keïta", Role.ME_OFFICER, "ML", _("indicators, exports, DHIS2")),
    ("superviseur", "Mariam", "Sangaré", Role.CHW_SUPERVISOR, "BKO-C1", _("CHWs of Commune I")),
    ("relais.sotuba", "Aminata", "Diallo", Role.CHW, "BKO-C1-SOT", _("follows families in Sotuba")),
    ("animatrice", "Kadiatou", "Camara", Role.SAVINGS_FACILITATOR, "BKO-C1", _("savings groups")),
    (
        "cooperative",
        "Oumou",
        "Sidibé",
        Role.COOPERATIVE_MANAGER,
        "BKO",
        _("cooperatives of Bamako"),
    ),
    ("coach", "Seydou", "Traoré", Role.QI_COACH, "BKO-C1", _("QI coach, Commune I")),
    (
        "cscom.sotuba",
        "Boubacar",
        "Dembélé",
        Role.HEALTH_CENTER_STAFF,
        "BKO-C1-SOT",
        _("staff of the Sotuba health center"),
    ),
    ("partenaire", "Grace", "Miller", Role.PARTNER, "ML-BKO", _("donor, read-only")),
]


@transaction.atomic
def load_admin() -> User:
    """The demo administrator, a superuser: the one account that can create the country."""
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User.objects.create_superuser(
            username="admin", password=DEMO_PASSWORD, first_name="Awa", last_name="Traoré"
        )
    return admin


@transaction.atomic
def load(*, admin: User) -> list[User]:
    """Every demo login, each with its role at its place (idempotent)."""
    users = []
    for username, first, last, role, code, _what in DEMO_USERS:
        place = Place.objects.get(code=code)
        user = User.objects.filter(username=username).first()
        if user is None:
            user = services.user_create(
                actor=admin,
                username=username,
                password=DEMO_PASSWORD,
                must_change_password=False,  # the demo logins are printed
                first_name=first,
                last_name=last,
                role=role,
                place=place,
            )
        elif not user.assignments.filter(role=role, place=place).exists():
            services.assignment_add(actor=admin, user=user, role=role, place=place)
        users.append(user)
    return users
