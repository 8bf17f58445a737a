"""The webhooks admin: page types from the installed page models, a Resend action, and a
delivery view that shows the payload as JSON and errors as a short class and status."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from kratom_pages.models import WebhookDelivery, WebhookEndpoint
from kratom_pages.publishing.models import generate_secret
from tests.test_webhooks import LOCAL_RECEIVER_SETTINGS
from tests.webhook_receiver import Receiver, Reply

ENDPOINTS = "/admin/kratom_pages/webhookendpoint/"
DELIVERIES = "/admin/kratom_pages/webhookdelivery/"


@pytest.fixture
def receiver(settings):
    receiver = Receiver()
    settings.KRATOM_PAGES = {
        **LOCAL_RECEIVER_SETTINGS,
        "WEBHOOKS": [{"url": receiver.url, "secret": generate_secret()}],
    }
    yield receiver
    receiver.close()


def _endpoint_data(receiver, **overrides):
    return {
        "name": "Frontend",
        "url": receiver.url,
        "secret": generate_secret(),
        "page_types": ["kratom_pages.FAQPage", "kratom_pages.ArticlePage"],
        "is_active": "on",
        **overrides,
    }


@pytest.mark.django_db
def test_page_types_are_a_multi_select_of_installed_page_models(admin_client, receiver):
    html = admin_client.get(f"{ENDPOINTS}create/").content.decode()
    assert 'type="checkbox" name="page_types" value="kratom_pages.ArticlePage"' in html
    response = admin_client.post(f"{ENDPOINTS}create/", _endpoint_data(receiver))
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.page_types == "kratom_pages.ArticlePage,kratom_pages.FAQPage"
    assert endpoint.page_type_labels == {"kratom_pages.ArticlePage", "kratom_pages.FAQPage"}
    edit = admin_client.get(f"{ENDPOINTS}edit/{endpoint.pk}/").content.decode()
    ticked = re.findall(
        r'<input type="checkbox" name="page_types" value="([^"]+)"[^>]*checked', edit
    )
    assert sorted(ticked) == ["kratom_pages.ArticlePage", "kratom_pages.FAQPage"]


@pytest.mark.django_db
def test_a_page_type_that_is_not_installed_is_a_field_error(admin_client, receiver):
    response = admin_client.post(
        f"{ENDPOINTS}create/", _endpoint_data(receiver, page_types=["Article page"])
    )
    assert response.status_code == 200
    assert "Select a valid choice. Article page is not one of the available choices." in (
        response.content.decode()
    )
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.django_db
def test_no_page_types_ticked_means_every_page_type(admin_client, receiver):
    data = _endpoint_data(receiver)
    del data["page_types"]
    assert admin_client.post(f"{ENDPOINTS}create/", data).status_code == 302
    assert WebhookEndpoint.objects.get().page_types == ""


@pytest.fixture
def failed_delivery(article, receiver, run_on_commit):
    receiver.script = [Reply(503)] * 3
    run_on_commit(lambda: article.save_revision().publish())
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed"
    return delivery


@pytest.mark.django_db
def test_resend_from_the_admin_sends_the_event_again(
    admin_client,
    failed_delivery,
    receiver,
    run_on_commit,
):
    inspect = admin_client.get(f"{DELIVERIES}inspect/{failed_delivery.pk}/").content.decode()
    assert f'action="{DELIVERIES}resend/{failed_delivery.pk}/"' in inspect
    response = run_on_commit(lambda: admin_client.post(f"{DELIVERIES}resend/{failed_delivery.pk}/"))
    again = WebhookDelivery.objects.exclude(pk=failed_delivery.pk).get()
    assert response.status_code == 302
    assert response["Location"] == f"{DELIVERIES}inspect/{again.pk}/"
    assert (again.status, again.event_id) == ("succeeded", failed_delivery.event_id)
    assert receiver.requests[-1]["body"] == receiver.requests[0]["body"]


@pytest.mark.django_db
def test_resend_is_post_only_csrf_protected_and_permission_checked(
    admin_client, superuser, failed_delivery, django_user_model
):
    url = f"{DELIVERIES}resend/{failed_delivery.pk}/"
    assert admin_client.get(url).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(superuser)
    assert strict.post(url).status_code == 403
    viewer = django_user_model.objects.create_user("viewer", "v@example.com", "pw")
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_webhookdelivery"),
    )
    client = Client()
    client.force_login(viewer)
    inspect = client.get(f"{DELIVERIES}inspect/{failed_delivery.pk}/")
    assert inspect.status_code == 200 and "Resend" not in inspect.content.decode()
    assert client.post(url).status_code in (302, 403)  # Wagtail redirects denied users
    assert WebhookDelivery.objects.count() == 1


@pytest.mark.django_db
def test_delivery_shows_payload_as_escaped_json_and_a_short_error(admin_client, failed_delivery):
    failed_delivery.payload = {**failed_delivery.payload, "note": "<script>x</script>"}
    failed_delivery.save()
    html = admin_client.get(f"{DELIVERIES}inspect/{failed_delivery.pk}/").content.decode()
    assert '<pre class="kp-json">{\n  &quot;action&quot;: &quot;publish&quot;,' in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>x</script>" not in html
    assert "{&#x27;" not in html  # not a Python dict
    listing = admin_client.get(DELIVERIES).content.decode()
    assert "HTTP 503" in listing


@pytest.mark.django_db
def test_edit_form_names_stored_page_types_that_are_not_installed(admin_client, receiver):
    endpoint = WebhookEndpoint.objects.create(
        name="Old", url=receiver.url, page_types="Article page,kratom_pages.FAQPage"
    )
    html = admin_client.get(f"{ENDPOINTS}edit/{endpoint.pk}/").content.decode()
    assert "Not installed page types, which never fire and are removed when you save" in html
    assert "Article page" in html
