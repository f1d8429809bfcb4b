"""Create forms are posted once: a hidden one-time token (`OnceField`, new each time the form is
rendered) is claimed in the transaction that creates the rows, so a double click, a reloaded page
or two racing requests store one row, and the second post gets the first one's answer. A unique
constraint that refuses a racing row becomes the form's error instead of a 500.

    form = submissions.with_token(AnakForm(request.POST or None, user=request.user))
    ...
    with submissions.once(request, form, unique={"anak_nik_unik": ("nik", "…")}) as sent:
        child = services.register_child(form.cleaned_data, request.user)
        sent.jawaban = reverse("balita:pengukuran_baru", args=[child.pk])

`once` raises `AlreadySent` (whose `response(request)` answers like the first post) or UserError.
"""

import uuid
from contextlib import contextmanager

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect

from tpps.errors import from_unique_violation
from tpps.models import Kiriman

FIELD = "kiriman"
ALREADY_SENT = "Formulir ini sudah terkirim sebelumnya; data tidak disimpan dua kali."


class OnceField(forms.UUIDField):
    """The hidden token: a new one whenever an unbound form is rendered; a refused form keeps the
    posted one, so the corrected post is still the first."""

    def __init__(self, **kwargs):
        # No label: a template that loops over every field shows nothing for it.
        super().__init__(widget=forms.HiddenInput, initial=uuid.uuid4, required=False, label="", **kwargs)


def with_token(form):
    """`form` (of a create view) with the hidden token added: `with_token(AnakForm(request.POST or None))`."""
    form.fields[FIELD] = OnceField()
    return form


class AlreadySent(Exception):
    def __init__(self, jawaban: str):
        super().__init__(ALREADY_SENT)
        self.jawaban = jawaban

    def response(self, request, fallback: str = "home"):
        """Where the first post went (HTMX: the same, by HX-Redirect), with a note."""
        messages.info(request, ALREADY_SENT)
        target = self.jawaban or fallback
        if request.htmx:
            answer = HttpResponse(status=204)
            answer["HX-Redirect"] = redirect(target).url
            return answer
        return redirect(target)


def sent_before(request) -> AlreadySent | None:
    """For a form whose own validation would refuse the repeat (one measurement per child and
    day): a post whose token was already claimed, answered like the first before validating."""
    if request.method != "POST":
        return None
    try:
        token = uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None
    return _first_answer(token, _user(request))


def _user(request):
    return request.user if request.user.is_authenticated else None


def _first_answer(token, user) -> AlreadySent | None:
    """The answer of the post that claimed `token`, if one did."""
    first = Kiriman.objects.filter(token=token, pengguna=user).values_list("jawaban", flat=True).first()
    return None if first is None else AlreadySent(first)


@contextmanager
def once(request, form, unique: dict | None = None):
    """Claim the form's token and run the block in one transaction (see the module doc). A post
    without a token (an old page, a script) is simply not deduplicated."""
    token = form.cleaned_data.get(FIELD)
    user = _user(request)
    try:
        with transaction.atomic():
            sent = Kiriman(token=token, pengguna=user)
            if token is not None:
                try:
                    with transaction.atomic():
                        sent.save()
                except IntegrityError:
                    # The first post with this token committed (a racing one waited for it here).
                    raise (_first_answer(token, user) or AlreadySent("")) from None
            yield sent
            if sent.pk:
                sent.save(update_fields=["jawaban"])
    except IntegrityError as error:
        user_error = from_unique_violation(error, unique)
        if user_error is None:
            raise
        raise user_error from error
