"""Date and number formats per language (settings.FORMAT_MODULE_PATH), read by Django's `date`
filter and `date_format`: day before month in French and Bambara, and month abbreviations that
never collide (Django's French "M" gives "Jui" for June and "Jul" for July; "N" gives "juin",
"juil.")."""
