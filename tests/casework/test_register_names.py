"""One list of register names: what a framework step may name is what casework can store."""

from casework.forms.registers import REGISTER_FORM_FIELDS
from casework.models import REGISTER_MODELS
from frameworks import io
from frameworks.forms import DimensionForm
from frameworks.registers import REGISTER_NAMES


def test_casework_has_a_model_and_a_form_for_every_register_a_framework_may_name():
    assert tuple(REGISTER_MODELS) == REGISTER_NAMES
    assert tuple(REGISTER_FORM_FIELDS) == REGISTER_NAMES


def test_the_framework_file_and_the_admin_form_read_the_same_list():
    assert io.REGISTERS == REGISTER_NAMES
    choices = DimensionForm.base_fields["registers"].choices
    assert tuple(name for name, _label in choices) == REGISTER_NAMES
