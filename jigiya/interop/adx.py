"""ADX (IHE QRPH Aggregate Data Exchange) files from a data value set.

Structure (DHIS2 developer docs, "ADX data format"): root `adx` in namespace
`urn:ihe:qrph:adx:2015` with an `exported` timestamp; one `group` per org unit with the
mandatory `orgUnit`, `period` (ISO 8601 start/duration, `2026-11-01/P1M` for a month) and
`dataSet`; inside, `dataValue` elements with the mandatory `dataElement` and `value`.
Disaggregation is given as `categoryOptionCombo` (DHIS2 uses it in preference to exploded
category attributes), and the attribute option combo on the group.
"""

import datetime
from xml.etree import ElementTree as ET

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from jigiya.core.periods import Month
from jigiya.interop.dhis2 import DataValueSet

NAMESPACE = "urn:ihe:qrph:adx:2015"


def adx_period(month: Month) -> str:
    return f"{month.first_day.isoformat()}/P1M"


def adx_document(
    built: DataValueSet, *, month: Month, exported: datetime.datetime | None = None
) -> bytes:
    """The ADX XML (UTF-8) for one month. Refused without a data set: ADX requires one."""
    data_set = built.payload.get("dataSet", "")
    if not data_set:
        raise ValidationError(
            {"data_set": _("An ADX file needs the server's data set: set it first.")}
        )
    ET.register_namespace("", NAMESPACE)
    stamp = (exported or timezone.now()).astimezone(datetime.UTC).replace(microsecond=0)
    root = ET.Element(f"{{{NAMESPACE}}}adx", {"exported": stamp.isoformat().replace("+00:00", "Z")})
    groups: dict[tuple[str, str], ET.Element] = {}
    for value in built.data_values:
        key = (value["orgUnit"], value.get("attributeOptionCombo", ""))
        group = groups.get(key)
        if group is None:
            attributes = {"orgUnit": key[0], "period": adx_period(month), "dataSet": data_set}
            if key[1]:
                attributes["attributeOptionCombo"] = key[1]
            group = ET.SubElement(root, f"{{{NAMESPACE}}}group", attributes)
            groups[key] = group
        attributes = {"dataElement": value["dataElement"]}
        if value.get("categoryOptionCombo"):
            attributes["categoryOptionCombo"] = value["categoryOptionCombo"]
        attributes["value"] = value["value"]
        ET.SubElement(group, f"{{{NAMESPACE}}}dataValue", attributes)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def adx_filename(server_name: str, month: Month) -> str:
    safe = "".join(ch if ch.isalnum() else "-" for ch in server_name).strip("-") or "dhis2"
    return f"{safe}-{month.dhis2}.adx.xml"
