"""Errors a user can fix: one exception for every app, and one way to show it on a form, as a
page message (also on HTMX fragments) and on the command line.

Services raise `UserError` (or an app's subclass) with a message in Bahasa Indonesia that names
the field or the sheet row; programming errors are not caught to look nice.
"""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, models, transaction

UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATE
SAME_DATA_STORED = ("Data yang sama baru saja tersimpan (mungkin oleh kiriman lain). Muat ulang halaman lalu "
                    "periksa sebelum mengirim lagi.")


class UserError(Exception):
    """A problem the user can fix.

    message: what is wrong and what to do, in Bahasa Indonesia.
    field:   the form field it belongs to (None: the form as a whole).
    row:     where in an uploaded sheet: the spreadsheet row number as the user sees it, or the
             label of a line of an entry table (a kab/kota name); column: the sheet's column.
    """

    def __init__(self, message: str, field: str | None = None, *, row: int | str | None = None,
                 column: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.row = row
        self.column = column
        self._pairs = [(field, message)]

    def __str__(self):
        """The message with its place in the sheet, as users read it ("Baris 5, kolom Skor: …")."""
        if self.row is None and self.column is None:
            return self.message
        where = f"Baris {self.row}" if isinstance(self.row, int) else (self.row or "")
        if self.column:
            where = f"{where}, kolom {self.column}" if where else f"Kolom {self.column}"
        return f"{where}: {self.message}"

    def pairs(self) -> list[tuple[str | None, str]]:
        """Every (field, message) this error carries: one, unless it came from model validation."""
        return list(self._pairs)

    @classmethod
    def from_validation_error(cls, error: ValidationError) -> "UserError":
        """A model's clean()/full_clean() refusal (Django's ValidationError) as a UserError,
        keeping each message on its field."""
        if hasattr(error, "error_dict"):
            pairs = [(None if name == NON_FIELD_ERRORS else name, text)
                     for name, texts in error.message_dict.items() for text in texts]
        else:
            pairs = [(None, text) for text in error.messages]
        user_error = cls(" ".join(text for _, text in pairs), pairs[0][0] if len(pairs) == 1 else None)
        user_error._pairs = pairs
        return user_error


def full_clean(instance, **kwargs):
    """`instance.full_clean()` whose refusal is a UserError, so services raise one kind of error."""
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        raise UserError.from_validation_error(error) from error


def add_to_form(form, error: UserError):
    """Show the error on `form`: on its field when the form has that field, else above the form."""
    for field, message in error.pairs():
        form.add_error(field if field in form.fields else None, message)


def add_message(request, error: UserError):
    """Show the error as a page message (pages and HTMX fragments render the messages alike)."""
    messages.error(request, str(error))


def command_error(error: UserError) -> CommandError:
    """The error for a management command: `raise command_error(error) from error`."""
    return CommandError(str(error))


def from_unique_violation(error: IntegrityError, messages: dict | None = None) -> UserError | None:
    """A unique constraint that refused a row (two requests racing past the same check) as a
    UserError: `messages` maps a constraint name to (field, message); None when `error` is not a
    unique violation (that one is a programming error and stays one)."""
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) != UNIQUE_VIOLATION:
        return None
    field, message = (messages or {}).get(getattr(cause.diag, "constraint_name", None), (None, SAME_DATA_STORED))
    return UserError(message, field)


def references(instance, own=()) -> list[tuple[str, int]]:
    """What still points at `instance`: (the data's name, how many rows) for every relation that
    would refuse its deletion or be deleted or emptied with it. `own` lists models that are part of
    the row itself (an indicator's yearly targets); relations without a constraint (audit events,
    which outlive the row on purpose) do not count. A many-to-many link counts as the model that
    holds it (a kelurahan in a puskesmas's working area: "puskesmas")."""
    found = []
    for relation in instance._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one)):
            continue
        if relation.on_delete is models.DO_NOTHING:
            continue
        model = relation.related_model
        owner = model._meta.auto_created or model
        if owner in own:
            continue
        count = model._base_manager.filter(**{relation.field.name: instance}).count()
        if count:
            found.append((str(owner._meta.verbose_name), count))
    return found


def delete_unless_referenced(instance, nama: str, own=()) -> None:
    """Delete reference data only when nothing else uses it; otherwise a UserError naming what
    does ("… masih dipakai oleh 12 posyandu, 3 penugasan"). A row that another request links to
    between the check and the delete is refused by the database's own constraint, the same way."""
    used = references(instance, own)
    if not used:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                # Foreign keys are checked at commit by default; here at the delete, so a racing
                # reference is this function's message and not an error at the end of the request.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                instance.delete()
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            return
        except (models.ProtectedError, models.RestrictedError, IntegrityError):
            used = references(instance, own) or [("data lain", 1)]
    listed = ", ".join(f"{count:,} {name}".replace(",", ".") for name, count in used)
    raise UserError(f"{nama} tidak dapat dihapus karena masih dipakai oleh {listed}. "
                    "Ubah atau pindahkan data itu dahulu, atau nonaktifkan saja bila tersedia.")
