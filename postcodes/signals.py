"""Signals the postcode data send to the apps that build on them."""

from django.dispatch import Signal

# Sent by the importer, inside its transaction, after areas and postcodes have their
# (2025) municipalities: apps that copy an area's municipality bring theirs up to date.
municipalities_assigned = Signal()
