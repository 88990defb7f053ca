"""Model fields that keep personal data encrypted, indexed and masked.

A protected value is declared as three fields on a model:

    id_number = EncryptedCharField()                       # SM4-GCM ciphertext
    id_number_index = BlindIndexField(source="id_number")  # HMAC for exact lookup
    id_number_mask = MaskField(source="id_number", masker=mask_id_number)

The index and mask are computed from the plaintext in ``pre_save``, so ``save()``
and ``bulk_create`` both keep them in step without any caller remembering to.
"""

from django.db import models

from . import crypto


class EncryptedCharField(models.BinaryField):
    """A text value stored as SM4-GCM ciphertext; Python sees the plaintext."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs["editable"] = True
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if value is None:
            return ""
        return crypto.decrypt(value)

    def to_python(self, value):
        if value is None:
            return ""
        if isinstance(value, (bytes, memoryview)):
            return crypto.decrypt(value)
        return str(value)

    def get_db_prep_value(self, value, connection, prepared=False):
        if value in (None, ""):
            return None
        return connection.Database.Binary(crypto.encrypt(str(value)))

    def value_to_string(self, obj):
        # Serialisers (dumpdata) never see plaintext.
        return ""

    def formfield(self, **kwargs):
        return None


class BlindIndexField(models.CharField):
    """A keyed HMAC of another field's plaintext, for exact lookup and uniqueness."""

    def __init__(self, *args, source, purpose=None, **kwargs):
        self.source = source
        self.purpose = purpose or source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        if self.purpose != self.source:
            kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def digest(self, plaintext):
        if not plaintext:
            return None
        return crypto.blind_index(plaintext, purpose=self.purpose)

    def pre_save(self, model_instance, add):
        value = self.digest(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


class MaskField(models.CharField):
    """The masked display form of another field, kept in clear for lists and search."""

    def __init__(self, *args, source, masker, **kwargs):
        self.source = source
        self.masker = masker
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["masker"] = self.masker
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        plaintext = getattr(model_instance, self.source)
        value = self.masker(plaintext) if plaintext else ""
        setattr(model_instance, self.attname, value)
        return value
