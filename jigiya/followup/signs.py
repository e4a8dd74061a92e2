"""Danger signs a CHW checks (IMCI / iCCM for children, WHO for pregnancy): any one of them
means a referral to the health center today."""

from django.utils.translation import gettext_lazy as _

CHILD_DANGER_SIGNS = {
    "unable_to_drink": _("Unable to drink or breastfeed"),
    "vomits_everything": _("Vomits everything"),
    "convulsions": _("Convulsions"),
    "lethargic": _("Lethargic or unconscious"),
    "chest_indrawing": _("Chest indrawing"),
    "blood_in_stool": _("Blood in the stool"),
    "long_fever": _("Fever for 7 days or more"),
    "long_cough": _("Cough for 14 days or more"),
}

PREGNANCY_DANGER_SIGNS = {
    "vaginal_bleeding": _("Vaginal bleeding"),
    "severe_headache": _("Severe headache or blurred vision"),
    "convulsions": _("Convulsions"),
    "fever": _("Fever"),
    "severe_abdominal_pain": _("Severe abdominal pain"),
    "swollen_face_hands": _("Swollen face or hands"),
    "reduced_fetal_movement": _("The baby moves less or not at all"),
    "waters_broke": _("Waters broke before labour"),
    "breathing_difficulty": _("Difficulty breathing"),
}

# Reasons a referral can name besides the danger signs.
REFERRAL_REASONS = {
    **{f"child:{code}": label for code, label in CHILD_DANGER_SIGNS.items()},
    **{f"pregnancy:{code}": label for code, label in PREGNANCY_DANGER_SIGNS.items()},
    "muac_red": _("MUAC red (< 115 mm): severe acute malnutrition"),
    "oedema": _("Bilateral oedema"),
    "other": _("Other"),
}
