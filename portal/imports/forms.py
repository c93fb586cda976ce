"""The upload form: which kind of records, and the file (CSV or XLSX)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.imports.columns import ARTICLES, CONTACTS
from portal.imports.reading import MAX_BYTES, ParsedFile, UnreadableFile, read_upload

KIND_LABELS = {CONTACTS: _("Contacts"), ARTICLES: _("Articles")}


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), widget=forms.RadioSelect)
    file = forms.FileField(
        label=_("File (CSV or Excel XLSX)"),
        help_text=_("At most 5,000 rows and 5 MB. The first row holds the column headings."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def __init__(self, *args: object, kinds: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [(kind_, KIND_LABELS[kind_]) for kind_ in kinds]
        self.fields["kind"].initial = kinds[0] if kinds else None
        self.parsed: ParsedFile | None = None

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB."), params={"size": MAX_BYTES // 1048576}
            )
        try:
            self.parsed = read_upload(upload.name or "", upload.read())
        except UnreadableFile as error:
            raise forms.ValidationError(str(error)) from None
        return upload


class StartForm(forms.Form):
    """The preview's start button, with what to do about the rows that match a record."""

    SKIP, UPDATE = "skip", "update"

    matched = forms.ChoiceField(
        label=_("Rows that match an existing record"),
        choices=[
            (SKIP, _("Skip them (the records stay as they are)")),
            (UPDATE, _("Update the existing records with the filled cells")),
        ],
        initial=SKIP,
        required=False,
        widget=forms.RadioSelect,
    )

    def update_matched(self) -> bool:
        return self.cleaned_data.get("matched") == self.UPDATE
