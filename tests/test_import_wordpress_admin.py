"""The "Import from WordPress" admin: permission, form errors, dry run, import, result."""

import io
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page

from kratom_pages.importers.models import WordPressImport
from kratom_pages.models import ReaderReply

FIXTURES = Path(__file__).parent / "fixtures" / "wordpress"
URL = "/admin/import-wordpress/"


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    data = content if content is not None else (FIXTURES / name).read_bytes()
    return SimpleUploadedFile(name, data, content_type="text/xml")


def uploads_zip() -> SimpleUploadedFile:
    image = io.BytesIO()
    PILImage.new("RGB", (20, 20), "green").save(image, "JPEG")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("wp-content/uploads/2024/03/leaf.jpg", image.getvalue())
        bundle.writestr("../../escape.jpg", image.getvalue())  # never written outside
    return SimpleUploadedFile("uploads.zip", archive.getvalue(), content_type="application/zip")


@pytest.fixture
def editor(client, django_user_model):
    """An admin user who may use the admin but has not been given the import permission."""
    user = django_user_model.objects.create_user("editor", "editor@example.com", "pw")
    group = Group.objects.create(name="Editors without import")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    client.force_login(user)
    return user


def test_users_without_the_import_permission_are_refused(index_page, editor, client):
    for response in (
        client.get(URL),
        client.post(URL, {"export_file": upload("export.xml"), "parent_page": index_page.pk}),
    ):
        assert response.status_code in (302, 403)
        assert not response.headers.get("Location", "").startswith(URL)
    assert WordPressImport.objects.count() == 0


def test_the_permission_alone_opens_the_view(index_page, editor, client):
    editor.user_permissions.add(Permission.objects.get(codename="import_wordpress"))

    assert client.get(URL).status_code == 200


@pytest.mark.parametrize(
    "files, error",
    [
        ({"export_file": upload("notes.txt", b"just some text")}, "not well-formed XML"),
        ({"export_file": upload("malformed.xml")}, "line 16, column 18"),
        ({"export_file": upload("xxe.xml")}, "Entity expansion is disabled"),
        ({"export_file": upload("billion-laughs.xml")}, "Entity expansion is disabled"),
        (
            {"export_file": upload("rss.xml", b"<rss><channel><title>x</title></channel></rss>")},
            "no WordPress",
        ),
        (
            {"export_file": upload("export.xml"), "uploads_zip": upload("u.zip", b"PK not a zip")},
            "not a zip",
        ),
        ({}, "This field is required"),
    ],
)
def test_bad_uploads_answer_with_field_errors(index_page, admin_client, files, error):
    response = admin_client.post(
        URL, {"parent_page": index_page.pk, "post_types": ["post"], **files}
    )

    assert response.status_code == 200
    assert error in response.content.decode()
    assert WordPressImport.objects.count() == 0


def test_a_bad_parent_is_a_field_error(index_page, admin_client):
    response = admin_client.post(
        URL, {"export_file": upload("export.xml"), "parent_page": "nope", "post_types": ["post"]}
    )

    assert response.status_code == 200
    assert "parent_page" in response.context["form"].errors


def test_upload_shows_the_dry_run_then_imports_through_the_queue(
    index_page, admin_client, django_capture_on_commit_callbacks
):
    pages = Page.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            URL,
            {
                "export_file": upload("export.xml"),
                "uploads_zip": uploads_zip(),
                "parent_page": index_page.pk,
                "post_types": ["post", "page"],
            },
        )
    record = WordPressImport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"{URL}{record.pk}/")
    assert record.status == "ready"
    assert Page.objects.count() == pages  # the dry run wrote nothing
    report = admin_client.get(response["Location"])
    assert report.status_code == 200
    assert "Import these items" in report.content.decode()
    assert [item["action"] for item in record.report["items"]].count("created") == 6

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(response["Location"])

    record.refresh_from_db()
    assert record.status == "done"
    assert record.processed == record.total == 7
    assert Page.objects.count() == pages + 6
    assert ReaderReply.objects.count() == 5
    assert get_image_model().objects.count() == 1
    assert not record.export_file and not record.uploads_zip  # personal data not kept
    result = admin_client.get(response["Location"]).content.decode()
    article = Page.objects.get(title="Kratom: what people report, and what is known")
    assert reverse("wagtailadmin_pages:edit", args=[article.pk]) in result
    assert "Not imported: it has no title and no address to name it from." in result


def test_an_uploads_zip_never_writes_outside_its_folder(tmp_path):
    from kratom_pages.importers.tasks import extract_uploads

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("2024/05/kept.jpg", b"kept")
        bundle.writestr("../../escape.jpg", b"escaped")
        bundle.writestr("/absolute.jpg", b"absolute")
    archive.seek(0)
    target = tmp_path / "uploads" / "media"
    target.mkdir(parents=True)

    extract_uploads(archive, target)

    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert written == ["uploads/media/2024/05/kept.jpg"]
