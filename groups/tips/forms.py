"""The one form of the prevention tips: subscribing to the monthly tip, or leaving it."""

from django import forms


class SubscriptionForm(forms.Form):
    choice = forms.ChoiceField(choices=[("subscribe", "subscribe"), ("unsubscribe", "unsubscribe")])
