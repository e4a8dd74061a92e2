import datetime
import uuid

from ninja import Schema
from pydantic import Field, StrictInt


class CooperativeIn(Schema):
    """A new cooperative. `id` is made by the device; sending it again is safe."""

    id: uuid.UUID
    name: str = Field(max_length=120)
    activity: str
    formed_on: datetime.date


class CooperativeOut(Schema):
    id: uuid.UUID
    name: str
    activity: str
    community_id: uuid.UUID
    status: str
    status_since: datetime.date
    registration_number: str
    formed_on: datetime.date


class CoopStockOut(Schema):
    product_id: uuid.UUID
    name: str
    kind: str
    unit: str
    quantity: int


class CooperativeDetailOut(CooperativeOut):
    stock: list[CoopStockOut]
    cash_received: int
    open_orders_value: int


class CoopMemberIn(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    joined_on: datetime.date
    role: str = "member"
    skills: str = Field(default="", max_length=200)
    share_capital: StrictInt = 0


class CoopMemberOut(Schema):
    id: uuid.UUID
    cooperative_id: uuid.UUID
    person_id: uuid.UUID
    joined_on: datetime.date
    role: str
    skills: str


class CoopWorkerIn(Schema):
    member_id: uuid.UUID
    pieces: StrictInt = 0
    hours: StrictInt = 0


class CoopInputIn(Schema):
    product_id: uuid.UUID
    quantity: StrictInt


class CoopBatchIn(Schema):
    """A production batch: its inputs (default: the bill of materials) out, its output in."""

    id: uuid.UUID
    product_id: uuid.UUID
    quantity: StrictInt
    made_on: datetime.date
    workers: list[CoopWorkerIn]
    inputs: list[CoopInputIn] | None = None


class CoopBatchOut(Schema):
    id: uuid.UUID
    product_id: uuid.UUID
    quantity: int
    made_on: datetime.date
    entry_id: uuid.UUID


class CoopPurchaseIn(Schema):
    id: uuid.UUID
    product_id: uuid.UUID
    quantity: StrictInt
    cost: StrictInt
    bought_on: datetime.date
    supplier: str = Field(default="", max_length=120)
    funding_id: uuid.UUID | None = None


class CoopPurchaseOut(Schema):
    id: uuid.UUID
    product_id: uuid.UUID
    quantity: int
    cost: int
    bought_on: datetime.date


class CoopLineIn(Schema):
    product_id: uuid.UUID
    quantity: StrictInt


class CoopSaleIn(Schema):
    id: uuid.UUID
    sold_on: datetime.date
    lines: list[CoopLineIn]
    customer_id: uuid.UUID | None = None
    paid: StrictInt = 0
    method: str = "cash"
    reference: str = Field(default="", max_length=60)


class CoopSaleOut(Schema):
    id: uuid.UUID
    sold_on: datetime.date
    total: int
    owed: int


class CoopOrderIn(Schema):
    id: uuid.UUID
    customer_id: uuid.UUID
    ordered_on: datetime.date
    lines: list[CoopLineIn]
    channel: str = "institutional"
    reference: str = Field(default="", max_length=60)


class CoopOrderOut(Schema):
    id: uuid.UUID
    customer_id: uuid.UUID
    ordered_on: datetime.date
    channel: str
    status: str
    total: int
    invoiced: int
    owed: int


class CoopDeliveryIn(Schema):
    id: uuid.UUID
    delivered_on: datetime.date
    received_by: str = Field(max_length=120)
    lines: list[CoopLineIn]
    health_center_id: uuid.UUID | None = None


class CoopDeliveryOut(Schema):
    id: uuid.UUID
    order_id: uuid.UUID
    delivered_on: datetime.date
    received_by: str
    value: int


class CoopPaymentIn(Schema):
    """A payment for one sale (`sale_id`) or one order (`order_id`)."""

    id: uuid.UUID
    amount: StrictInt
    method: str
    paid_on: datetime.date
    reference: str = Field(default="", max_length=60)
    sale_id: uuid.UUID | None = None
    order_id: uuid.UUID | None = None


class CoopPaymentOut(Schema):
    id: uuid.UUID
    amount: int
    method: str
    reference: str
    paid_on: datetime.date


class CoopDistributionIn(Schema):
    id: uuid.UUID
    product_id: uuid.UUID
    quantity: StrictInt
    given_on: datetime.date
    received_by: str = Field(max_length=120)
    paid_by: str
    health_center_id: uuid.UUID | None = None
    household_id: uuid.UUID | None = None
    order_id: uuid.UUID | None = None
    funding_id: uuid.UUID | None = None


class CoopDistributionOut(Schema):
    id: uuid.UUID
    product_id: uuid.UUID
    quantity: int
    given_on: datetime.date
    paid_by: str
    value: int


class CoopLossIn(Schema):
    id: uuid.UUID
    product_id: uuid.UUID
    quantity: StrictInt
    on: datetime.date
    reason: str = Field(max_length=200)


class CoopLossOut(Schema):
    id: uuid.UUID
    seq: int
    kind: str
    on: datetime.date
    reason: str


class CoopExpenseIn(Schema):
    id: uuid.UUID
    amount: StrictInt
    on: datetime.date
    memo: str = Field(max_length=200)


class CoopCashOut(Schema):
    id: uuid.UUID
    seq: int
    kind: str
    on: datetime.date
    amount: int
    memo: str


class CoopCloseIn(Schema):
    """Close the period up to `ends_on`; sent again, the same close (200)."""

    ends_on: datetime.date
    rule: str


class CoopPayoutOut(Schema):
    member_id: uuid.UUID
    basis: int
    amount: int


class CoopCloseOut(Schema):
    id: uuid.UUID
    starts_on: datetime.date
    ends_on: datetime.date
    rule: str
    received: int
    spent: int
    surplus: int
    shared: int
    remainder: int
    payouts: list[CoopPayoutOut]


class CoopTrainingIn(Schema):
    id: uuid.UUID
    title: str = Field(max_length=160)
    topic: str
    starts_on: datetime.date
    ends_on: datetime.date
    attended: list[uuid.UUID]
    certified: list[uuid.UUID] = []
    partner: str = Field(default="", max_length=160)
    min_days: StrictInt | None = None
    # Who was present each day; not given: every participant every day.
    days: dict[datetime.date, list[uuid.UUID]] | None = None


class CoopTrainingOut(Schema):
    id: uuid.UUID
    title: str
    topic: str
    starts_on: datetime.date
    ends_on: datetime.date


class CoopDuesIn(Schema):
    id: uuid.UUID
    union_id: uuid.UUID
    year: StrictInt
    amount: StrictInt
    paid_on: datetime.date


class CoopDuesOut(Schema):
    id: uuid.UUID
    year: int
    amount: int
    paid_on: datetime.date


class CoopBoardIn(Schema):
    """The union's board elected on `held_on`: role (president, vice_president, secretary,
    treasurer) → the member elected; a president is required."""

    id: uuid.UUID
    held_on: datetime.date
    seats: dict[str, uuid.UUID]


class CoopBoardOut(Schema):
    id: uuid.UUID
    union_id: uuid.UUID
    held_on: datetime.date
    seats: dict[str, uuid.UUID]


class CoopTrainingDayIn(Schema):
    """Who was present on one day of the training (members who take part in it)."""

    id: uuid.UUID
    day: datetime.date
    present: list[uuid.UUID]


class CoopTrainingDayOut(Schema):
    id: uuid.UUID
    training_id: uuid.UUID
    day: datetime.date
    present: list[uuid.UUID]


class CoopCertifyIn(Schema):
    """Members to certify: each attended the days the certificate needs, or none is."""

    certified: list[uuid.UUID] = Field(min_length=1, max_length=500)


class CoopCertifyOut(Schema):
    training_id: uuid.UUID
    newly_certified: int
    certified: list[uuid.UUID]


class CoopEquipmentIn(Schema):
    id: uuid.UUID
    item: str = Field(max_length=120)
    quantity: StrictInt = 1
    acquired_on: datetime.date
    cost: StrictInt
    funding_id: uuid.UUID | None = None
    serial: str = Field(default="", max_length=60)
    holder: str = Field(default="", max_length=120)


class CoopEquipmentOut(Schema):
    id: uuid.UUID
    item: str
    quantity: int
    acquired_on: datetime.date
    cost: int
    condition: str
    disposed_on: datetime.date | None


class CoopMaintenanceIn(Schema):
    id: uuid.UUID
    on: datetime.date
    description: str = Field(max_length=200)
    condition: str
    cost: StrictInt = 0


class CoopMaintenanceOut(Schema):
    id: uuid.UUID
    equipment_id: uuid.UUID
    on: datetime.date
    description: str
    cost: int
    condition: str


class CoopDisposalIn(Schema):
    on: datetime.date
    reason: str = Field(max_length=200)


class CoopCountLineIn(Schema):
    product_id: uuid.UUID
    counted: StrictInt


class CoopCountIn(Schema):
    """A physical count: what was found of each product. Nothing is posted until a second
    officer approves (`POST /cooperatives/counts/{count_id}/approve`)."""

    id: uuid.UUID
    counted_on: datetime.date
    lines: list[CoopCountLineIn]


class CoopCountLineOut(Schema):
    product_id: uuid.UUID
    expected: int
    counted: int
    difference: int


class CoopCountOut(Schema):
    id: uuid.UUID
    counted_on: datetime.date
    status: str
    entry_id: uuid.UUID | None
    lines: list[CoopCountLineOut]


class CoopRejectIn(Schema):
    reason: str = Field(max_length=200)


class CoopPreparingGroupIn(Schema):
    id: uuid.UUID
    name: str = Field(max_length=120)
    activity: str
    women: StrictInt
    stage: str
    since: datetime.date
    origin: str = Field(default="", max_length=160)
    contact: str = Field(default="", max_length=120)


class CoopStageIn(Schema):
    stage: str
    on: datetime.date
    note: str = Field(default="", max_length=200)
    cooperative_id: uuid.UUID | None = None


class CoopPreparingGroupOut(Schema):
    id: uuid.UUID
    name: str
    community_id: uuid.UUID
    activity: str
    women: int
    stage: str
    stage_since: datetime.date
    cooperative_id: uuid.UUID | None
