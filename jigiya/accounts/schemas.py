import uuid

from ninja import Schema

from jigiya.accounts.roles import Role


class AssignmentOut(Schema):
    id: uuid.UUID
    role: Role
    place_id: uuid.UUID
    place_name: str

    @staticmethod
    def resolve_place_name(obj: object) -> str:
        return str(obj.place)  # type: ignore[attr-defined]


class UserOut(Schema):
    id: uuid.UUID
    username: str
    first_name: str
    last_name: str
    language: str
    is_active: bool
    assignments: list[AssignmentOut]

    @staticmethod
    def resolve_assignments(obj: object) -> list[object]:
        return list(obj.assignments.all())  # type: ignore[attr-defined]
