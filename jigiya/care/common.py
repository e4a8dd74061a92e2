"""The change sources care declares (`core.changes`): what its services tell the indicator
engine when they write."""

from jigiya.core.changes import declare_source

SOURCE_COVERAGE = declare_source("care.coverage")
# Care lines, claims, payments and budgets: the lines' figures and what was paid.
SOURCE_LINES = declare_source("care.line")
