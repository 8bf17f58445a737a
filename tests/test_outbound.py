"""Outbound safety of publish webhooks: only public addresses, only the address checked.

Nothing here leaves 127.0.0.1: host names resolve through a fake resolver, and every socket
connect is recorded and refused unless it goes to 127.0.0.1.
"""

import ipaddress
import shutil
import socket
import ssl
import subprocess

import pytest
from django.conf import settings as project_settings
from django.core.exceptions import ValidationError
from standardwebhooks.webhooks import Webhook

from kratom_pages.checks import check_settings
from kratom_pages.models import WebhookDelivery, WebhookEndpoint
from kratom_pages.publishing import outbound
from kratom_pages.publishing.models import generate_secret
from tests.webhook_receiver import Receiver, Reply

SECRET = generate_secret()
PUBLIC_ADDRESS = "93.184.215.14"  # resolved to in tests, never connected to
PROJECT = dict(getattr(project_settings, "KRATOM_PAGES", None) or {})  # tests/settings.py
BASE_SETTINGS = {
    **PROJECT,
    "WEBHOOK_ALLOW_HTTP": True,
    "WEBHOOK_TIMEOUT": 2,
    "WEBHOOK_BACKOFF": 0,
    "WEBHOOK_MAX_ATTEMPTS": 3,
}

FAKE_DNS = {
    "localhost": ["127.0.0.1", "::1"],
    "internal.example.test": ["127.0.0.1"],
    "mixed.example.test": [PUBLIC_ADDRESS, "10.1.2.3"],
    "public.example.test": [PUBLIC_ADDRESS],
    "hooks.example.test": ["127.0.0.1"],
    "wrong-name.example.test": ["127.0.0.1"],
}

# (URL without port, the refusal). The port is added so each would hit the receiver.
UNSAFE = [
    ("http://127.0.0.1", "resolves to a loopback address"),
    ("http://localhost", "resolves to a loopback address"),
    ("http://[::1]", "resolves to a loopback address"),
    ("http://169.254.169.254", "resolves to a cloud metadata address"),
    ("http://[::ffff:127.0.0.1]", "resolves to a loopback address"),
    ("http://0.0.0.0", "resolves to an unspecified address"),
    ("http://10.0.0.1", "resolves to a private address"),
    ("http://100.64.0.1", "resolves to a shared (carrier-grade NAT) address"),
    ("http://internal.example.test", "resolves to a loopback address"),
    ("http://mixed.example.test", "resolves to a private address"),
    ("http://[fd00:ec2::254]", "resolves to a cloud metadata address"),
    ("http://[::ffff:169.254.169.254]", "resolves to a cloud metadata address"),
    ("http://[2002:7f00:1::]", "resolves to a loopback address"),  # 6to4
    ("http://[64:ff9b::a9fe:a9fe]", "resolves to a cloud metadata address"),  # NAT64
    ("http://[::7f00:1]", "resolves to a loopback address"),  # IPv4-compatible
    ("http://224.0.0.1", "resolves to a multicast address"),
    ("http://[ff02::1]", "resolves to a multicast address"),
    ("http://240.0.0.1", "resolves to a reserved address"),
    ("ftp://public.example.test", "only http and https URLs are allowed"),
]


@pytest.fixture(autouse=True)
def dns(monkeypatch):
    """Resolve FAKE_DNS names and IP literals only; record each name asked for."""
    real, asked = socket.getaddrinfo, []

    def getaddrinfo(host, port, *args, **kwargs):
        host = host.decode() if isinstance(host, bytes) else host
        asked.append(host)
        addresses = FAKE_DNS.get(host)
        if addresses is None:
            try:
                ipaddress.ip_address(host)
            except ValueError:
                raise socket.gaierror(socket.EAI_NONAME, "not in the fake resolver") from None
            return real(host, port, *args, **kwargs)
        return [
            (
                socket.AF_INET6 if ":" in a else socket.AF_INET,
                socket.SOCK_STREAM,
                socket.IPPROTO_TCP,
                "",
                (a, port, 0, 0) if ":" in a else (a, port),
            )
            for a in addresses
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


@pytest.fixture(autouse=True)
def connections(monkeypatch):
    """Every address a socket connects to; anything but 127.0.0.1 is refused."""
    made, real = [], socket.socket.connect

    def connect(sock, address):
        made.append(address[:2])
        if address[0] != "127.0.0.1":
            raise ConnectionRefusedError("tests connect to 127.0.0.1 only")
        return real(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return made


@pytest.fixture
def receiver(settings):
    receiver = Receiver()
    settings.KRATOM_PAGES = dict(BASE_SETTINGS)
    yield receiver
    receiver.close()


@pytest.fixture
def publish(article, django_capture_on_commit_callbacks):
    def publish():
        with django_capture_on_commit_callbacks(execute=True):
            article.save_revision().publish()
        return WebhookDelivery.objects.get()

    return publish


def hook_settings(settings, url: str, **extra) -> None:
    settings.KRATOM_PAGES = {
        **BASE_SETTINGS,
        "WEBHOOKS": [{"url": url, "secret": SECRET}],
        **extra,
    }


@pytest.mark.parametrize(("url", "reason"), UNSAFE)
def test_unsafe_url_is_refused_on_save(url, reason, settings):
    settings.KRATOM_PAGES = dict(BASE_SETTINGS)
    endpoint = WebhookEndpoint(name="Probe", url=f"{url}:5432/hook")
    with pytest.raises(ValidationError) as caught:
        endpoint.full_clean()
    [message] = caught.value.message_dict["url"]
    assert reason in message


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "reason"), UNSAFE)
def test_unsafe_url_is_refused_at_send_time_without_connecting(
    url, reason, receiver, settings, publish, connections
):
    hook_settings(settings, f"{url}:{receiver.port}/hook")
    connections.clear()
    delivery = publish()
    assert receiver.requests == [] and connections == []
    assert (delivery.status, delivery.attempts) == ("failed", 1)  # refusals are not retried
    assert delivery.last_error == f"UnsafeURL: {reason}"


@pytest.mark.django_db
def test_an_admin_endpoint_is_rechecked_at_send_time(
    article, receiver, settings, django_capture_on_commit_callbacks, connections
):
    settings.KRATOM_PAGES = dict(BASE_SETTINGS)
    # Saved when it was acceptable (or by code that skipped validation); refused now.
    WebhookEndpoint.objects.create(name="Old", url=f"http://localhost:{receiver.port}/hook")
    connections.clear()
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    delivery = WebhookDelivery.objects.get()
    assert receiver.requests == [] and connections == []
    assert delivery.last_error == "UnsafeURL: resolves to a loopback address"


def test_public_addresses_are_not_refused():
    for address in ("8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"):
        assert outbound.refusal(ipaddress.ip_address(address)) is None, address


def test_https_is_required_unless_debug_or_allowed(settings):
    settings.KRATOM_PAGES = PROJECT
    endpoint = WebhookEndpoint(name="Plain", url="http://public.example.test/hook")
    with pytest.raises(ValidationError, match="https is required"):
        endpoint.full_clean()
    endpoint.url = "https://public.example.test/hook"
    endpoint.full_clean()
    settings.DEBUG = True
    endpoint.url = "http://public.example.test/hook"
    endpoint.full_clean()


def test_the_allow_list_opts_a_named_internal_host_in(settings):
    endpoint = WebhookEndpoint(name="Internal", url="http://internal.example.test/hook")
    settings.KRATOM_PAGES = {**BASE_SETTINGS, "WEBHOOK_ALLOWED_HOSTS": ["internal.example.test"]}
    endpoint.full_clean()
    settings.KRATOM_PAGES = {**BASE_SETTINGS, "WEBHOOK_ALLOWED_HOSTS": ["10.0.0.0/8"]}
    with pytest.raises(ValidationError, match="loopback"):
        endpoint.full_clean()


def test_an_unresolvable_host_is_refused_on_save(settings):
    settings.KRATOM_PAGES = dict(BASE_SETTINGS)
    endpoint = WebhookEndpoint(name="Typo", url="https://no-such-host.example.test/hook")
    with pytest.raises(ValidationError, match="does not resolve"):
        endpoint.full_clean()


@pytest.mark.django_db
def test_a_redirect_is_not_followed(receiver, settings, publish, connections):
    elsewhere = Receiver()
    try:
        receiver.script = [Reply(302, headers={"Location": elsewhere.url})] * 3
        hook_settings(settings, receiver.url, WEBHOOK_ALLOWED_HOSTS=["127.0.0.1"])
        delivery = publish()
        assert len(receiver.requests) == 3 and elsewhere.requests == []
        assert {port for _, port in connections} == {receiver.port}
        assert (delivery.status, delivery.response_status) == ("failed", 302)
        assert delivery.last_error == "Redirect not followed (HTTP 302)"
    finally:
        elsewhere.close()


@pytest.mark.django_db
def test_the_delivery_log_never_holds_the_receivers_body(receiver, settings, publish, admin_client):
    leak = "REDIS-CONFIG-requirepass-s3cr3t"
    receiver.script = [Reply(500, body=f"<pre>{leak}</pre>".encode())] * 3
    hook_settings(settings, receiver.url, WEBHOOK_ALLOWED_HOSTS=["127.0.0.1"])
    delivery = publish()
    assert (delivery.response_status, delivery.last_error) == (500, "HTTP 500")
    assert delivery.duration_ms is not None
    assert leak not in str(WebhookDelivery.objects.values().get())
    index = admin_client.get("/admin/kratom_pages/webhookdelivery/")
    inspect = admin_client.get(f"/admin/kratom_pages/webhookdelivery/inspect/{delivery.pk}/")
    assert index.status_code == inspect.status_code == 200
    assert "HTTP 500" in inspect.content.decode()
    assert leak not in index.content.decode() and leak not in inspect.content.decode()


@pytest.mark.django_db
def test_the_connection_goes_to_the_address_that_was_checked(
    receiver, settings, publish, dns, connections, monkeypatch
):
    # DNS rebinding: the first answer is the allowed 127.0.0.1; any later answer would be
    # 127.0.0.2, which is not allowed and where nothing listens.
    answers = iter([["127.0.0.1"]])
    monkeypatch.setitem(FAKE_DNS, "rebind.example.test", None)
    lookup = socket.getaddrinfo

    def rebinding(host, port, *args, **kwargs):
        if host == "rebind.example.test":
            FAKE_DNS[host] = next(answers, ["127.0.0.2"])
        return lookup(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    url = f"http://rebind.example.test:{receiver.port}/hook"
    hook_settings(settings, url, WEBHOOK_ALLOWED_HOSTS=["127.0.0.1"])
    connections.clear()
    delivery = publish()
    assert delivery.status == "succeeded"
    assert dns.count("rebind.example.test") == 1
    assert connections == [("127.0.0.1", receiver.port)]
    [request] = receiver.requests
    assert request["headers"]["Host"] == f"rebind.example.test:{receiver.port}"
    assert request["path"] == "/hook"
    Webhook(SECRET).verify(request["body"], request["headers"])


@pytest.fixture
def tls_receiver(tmp_path, monkeypatch):
    """An https receiver on 127.0.0.1 whose certificate names hooks.example.test only."""
    if not shutil.which("openssl"):
        pytest.skip("needs the openssl command to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2", "-keyout", key, "-out", cert, "-subj", "/CN=hooks.example.test",
         "-addext", "subjectAltName=DNS:hooks.example.test"],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    monkeypatch.setattr(outbound, "CA_BUNDLE", str(cert))
    receiver = Receiver(tls=context)
    yield receiver
    receiver.close()


def test_https_is_pinned_to_the_address_but_verified_against_the_host_name(
    tls_receiver, settings, connections
):
    settings.KRATOM_PAGES = {**PROJECT, "WEBHOOK_ALLOWED_HOSTS": ["127.0.0.1"]}
    port = tls_receiver.port
    status = outbound.post(f"https://hooks.example.test:{port}/hook", b"{}", {}, timeout=2)
    assert status == 200
    assert connections == [("127.0.0.1", port)]
    assert tls_receiver.server_names == ["hooks.example.test"]
    assert tls_receiver.requests[0]["headers"]["Host"] == f"hooks.example.test:{port}"
    # The same address under a name the certificate does not carry: refused by TLS.
    with pytest.raises(outbound.TransportError, match="SSLError"):
        outbound.post(f"https://wrong-name.example.test:{port}/hook", b"{}", {}, timeout=2)
    assert len(tls_receiver.requests) == 1


@pytest.mark.django_db
def test_the_admin_never_shows_the_secret_and_blank_keeps_it(admin_client, settings):
    settings.KRATOM_PAGES = {**BASE_SETTINGS, "WEBHOOK_ALLOWED_HOSTS": ["127.0.0.1"]}
    endpoint = WebhookEndpoint.objects.create(name="Frontend", url="http://127.0.0.1:9/hook")
    old_secret = endpoint.secret
    edit_url = f"/admin/kratom_pages/webhookendpoint/edit/{endpoint.pk}/"
    page = admin_client.get(edit_url).content.decode()
    assert old_secret not in page and 'type="password"' in page
    assert "Leave blank to keep the current secret" in page

    form = {"name": "Renamed", "url": endpoint.url, "page_types": "", "is_active": "on"}
    assert admin_client.post(edit_url, {**form, "secret": ""}).status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.name, endpoint.secret) == ("Renamed", old_secret)

    new_secret = generate_secret()
    assert admin_client.post(edit_url, {**form, "secret": new_secret}).status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.secret == new_secret

    response = admin_client.post(edit_url, {**form, "secret": "short"})
    assert response.status_code == 200 and "ASCII characters" in response.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.secret == new_secret


@pytest.mark.django_db
def test_the_admin_create_form_offers_a_new_secret_and_refuses_unsafe_urls(admin_client, settings):
    settings.KRATOM_PAGES = dict(BASE_SETTINGS)
    create_url = "/admin/kratom_pages/webhookendpoint/create/"
    assert "whsec_" in admin_client.get(create_url).content.decode()
    form = {"name": "Probe", "page_types": "", "is_active": "on", "secret": SECRET}
    response = admin_client.post(create_url, {**form, "url": "http://169.254.169.254/latest"})
    assert response.status_code == 200
    assert "resolves to a cloud metadata address" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()
    settings.KRATOM_PAGES = {**BASE_SETTINGS, "WEBHOOK_ALLOWED_HOSTS": ["127.0.0.1"]}
    response = admin_client.post(create_url, {**form, "url": "http://127.0.0.1:9/hook"})
    assert response.status_code == 302
    assert WebhookEndpoint.objects.get().secret == SECRET


def webhook_errors(settings, **kratom_pages) -> list[str]:
    settings.KRATOM_PAGES = {**PROJECT, **kratom_pages}
    return [
        e.msg for e in check_settings(None) if e.id in ("kratom_pages.E020", "kratom_pages.E021")
    ]


def test_settings_webhook_page_types_must_name_installed_page_models(settings):
    hook = {"url": "https://hooks.example.com/revalidate", "secret": SECRET}
    good = ["kratom_pages.ArticlePage", "kratom_pages.FAQPage"]
    assert webhook_errors(settings, WEBHOOKS=[{**hook, "page_types": good}]) == []
    typo = ["kratom_pages.ArticlePage", "Article page", "kratom_pages.articlepage"]
    [error] = webhook_errors(settings, WEBHOOKS=[{**hook, "page_types": typo}])
    assert "KRATOM_PAGES['WEBHOOKS'][0]" in error
    assert "'Article page', 'kratom_pages.articlepage', not installed page models" in error
    [error] = webhook_errors(settings, WEBHOOKS=[{**hook, "page_types": ["auth.User"]}])
    assert "'auth.User'" in error  # installed, but not a page model


def test_settings_webhooks_are_checked_at_start_up(settings):
    hook = {"url": "https://hooks.example.com/revalidate", "secret": SECRET}
    assert webhook_errors(settings, WEBHOOKS=[hook]) == []
    [error] = webhook_errors(settings, WEBHOOKS=[{**hook, "url": "http://127.0.0.1:6379/"}])
    assert "https is required" in error
    [error] = webhook_errors(
        settings, WEBHOOK_ALLOW_HTTP=True, WEBHOOKS=[{**hook, "url": "http://[::1]:6379/"}]
    )
    assert "loopback" in error
    [error] = webhook_errors(settings, WEBHOOKS=[{**hook, "secret": "whsec_not*base64"}])
    assert "malformed secret" in error
    assert webhook_errors(settings, WEBHOOK_TIMEOUT=0, WEBHOOK_ALLOWED_HOSTS="10.0.0.1")
