"""The upload cap: an upload bigger than DOCUMENT_MAX_BYTES is refused while it arrives.

Django would otherwise stream any file to a temporary file before a view could look at its
size. Refusing raises RequestDataTooBig, which casework/errors.py answers with a 413 in the
user's language (an htmx fragment in the sources panel), so nothing is saved.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler

# Room for the form's other fields (title, publisher, ...) around the file.
FORM_ALLOWANCE_BYTES = 64 * 1024


class CappedUploadHandler(FileUploadHandler):
    """Passes every chunk on to the next handler, until a file grows past the cap."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        limit = settings.DOCUMENT_MAX_BYTES + FORM_ALLOWANCE_BYTES
        if content_length and content_length > limit:
            self._refuse()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.DOCUMENT_MAX_BYTES:
            self._refuse()
        return raw_data

    def _refuse(self):
        # The 413 page then names the document limit rather than the one for plain forms.
        if self.request is not None:
            self.request.document_too_large = True
        raise RequestDataTooBig("The upload is larger than DOCUMENT_MAX_BYTES.")

    def file_complete(self, file_size):
        return None
