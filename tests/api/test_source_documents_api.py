"""The API lists a source's document by its type, size and hash; never the file itself."""

import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile

from casework.services import documents as services
from tests import documents as samples


def test_a_case_lists_its_live_sources_with_their_documents_metadata(api_as, alice, alice_case):
    data = samples.pdf()
    services.source_create(
        case=alice_case,
        user=alice,
        data={"title": "审计报告"},
        upload=SimpleUploadedFile("审计报告.pdf", data),
    )
    gone = services.source_create(case=alice_case, user=alice, data={"title": "旧资料"})
    services.source_remove(source=gone, user=alice)

    response = api_as("alice").get(f"/api/v1/cases/{alice_case.pk}")

    assert response.status_code == 200, response.content
    (source,) = response.json()["sources"]
    assert source["title"] == "审计报告"
    assert source["document_type"] == "application/pdf"
    assert source["document_size"] == len(data)
    assert source["document_sha256"] == hashlib.sha256(data).hexdigest()
    assert "document_file" not in source
