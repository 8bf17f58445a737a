"""Outbound HTTP: may we connect to this URL, and connect only to the address we checked.

Anyone allowed to add a webhook endpoint chooses where the server connects, so a URL is
refused unless it is ``https`` (or ``http`` where allowed) and every address its host
resolves to is on the public internet. The request then goes to an address from that same
resolution (the original host name stays in the ``Host`` header, the TLS SNI and the
certificate check), so a DNS answer that changes between check and connect cannot steer
it inward. Redirects are never followed and environment proxies are never used.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import certifi
import urllib3
from django.conf import settings
from django.utils.translation import gettext_noop

from kratom_pages import conf

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# The same CA bundle `requests` uses; a module attribute so tests can trust their own CA.
CA_BUNDLE = certifi.where()

# Instance metadata services hand out cloud credentials. Most are link-local or private
# anyway; they are named so the refusal says what they are.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, Oracle, DigitalOcean, ...
        "169.254.170.2",  # AWS ECS task credentials
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud (classic); global to Python before 3.12.4
        "fd00:ec2::254",  # AWS over IPv6
    )
)
SHARED_NETWORK = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT (RFC 6598)
NAT64_NETWORK = ipaddress.ip_network("64:ff9b::/96")  # IPv4 embedded in the last 32 bits
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated ::a.b.c.d form

# Reasons are stored untranslated in the delivery log and translated in form errors.
REFUSALS = {
    "metadata": gettext_noop("resolves to a cloud metadata address"),
    "unspecified": gettext_noop("resolves to an unspecified address"),
    "loopback": gettext_noop("resolves to a loopback address"),
    "link-local": gettext_noop("resolves to a link-local address"),
    "multicast": gettext_noop("resolves to a multicast address"),
    "shared": gettext_noop("resolves to a shared (carrier-grade NAT) address"),
    "reserved": gettext_noop("resolves to a reserved address"),
    "private": gettext_noop("resolves to a private address"),
    "non-public": gettext_noop("resolves to a non-public address"),
}


class UnsafeURL(ValueError):
    """The URL may not be connected to; ``reason`` says why in a few words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class TransportError(Exception):
    """Connecting or exchanging failed; ``str()`` is a short class such as "ConnectTimeout",
    never anything the receiver sent."""


@dataclass(frozen=True)
class Destination:
    """A checked URL: where to connect and what to tell the server."""

    scheme: str
    hostname: str
    port: int
    path: str
    addresses: tuple[str, ...]  # every one checked, in resolver order

    @property
    def host_header(self) -> str:
        host = f"[{self.hostname}]" if ":" in self.hostname else self.hostname
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries: IPv4-mapped, 6to4, NAT64, IPv4-compatible."""
    if embedded := ip.ipv4_mapped or ip.sixtofour:
        return embedded
    if ip in NAT64_NETWORK or (ip in IPV4_COMPATIBLE and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def refusal(ip: IPAddress) -> str | None:
    """Why ``ip`` is not a public internet address, or None when it is."""
    if ip.version == 6 and (embedded := _embedded_ipv4(ip)):
        if reason := refusal(embedded):
            return reason
        if ip.ipv4_mapped or ip in NAT64_NETWORK:
            return None  # it reaches the public IPv4 address it carries
        # 6to4 goes on to the IPv6 checks; IPv4-compatible (::/96) is reserved there.
    checks = (
        ("metadata", ip in METADATA_ADDRESSES),
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("shared", ip.version == 4 and ip in SHARED_NETWORK),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("non-public", not ip.is_global),
    )
    return next((REFUSALS[name] for name, hit in checks if hit), None)


def _allow_list() -> tuple[set[str], list[ipaddress.IPv4Network | ipaddress.IPv6Network]]:
    names, networks = set(), []
    for entry in conf.get("WEBHOOK_ALLOWED_HOSTS"):
        try:
            networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
        except ValueError:
            names.add(entry.lower().rstrip("."))
    return names, networks


def _check_address(ip: IPAddress, networks) -> None:
    unwrapped = ip.ipv4_mapped if ip.version == 6 and ip.ipv4_mapped else ip
    if any(unwrapped in network or ip in network for network in networks):
        return
    if reason := refusal(ip):
        raise UnsafeURL(reason)


def parse(url: str) -> tuple[str, str, int, str]:
    """Scheme, host name, port and path of ``url``, if its form is acceptable (no DNS)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeURL(gettext_noop("the URL or its port is not valid")) from exc
    scheme, hostname = parts.scheme.lower(), (parts.hostname or "").rstrip(".")
    if scheme not in ("http", "https"):
        raise UnsafeURL(gettext_noop("only http and https URLs are allowed"))
    if scheme == "http" and not (settings.DEBUG or conf.get("WEBHOOK_ALLOW_HTTP")):
        raise UnsafeURL(gettext_noop("https is required (or set WEBHOOK_ALLOW_HTTP)"))
    if not hostname:
        raise UnsafeURL(gettext_noop("the URL has no host"))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, hostname, port or (443 if scheme == "https" else 80), path


def check_literal(url: str) -> None:
    """What can be checked without DNS: the URL's form and a literal IP host."""
    _, hostname, _, _ = parse(url)
    names, networks = _allow_list()
    try:
        ip = ipaddress.ip_address(hostname)
    except ValueError:
        return
    if hostname not in names:
        _check_address(ip, networks)


def resolve(url: str) -> Destination:
    """Check ``url`` and every address its host resolves to; raise ``UnsafeURL`` if any
    is refused, ``TransportError("HostNotFound")`` if it does not resolve."""
    scheme, hostname, port, path = parse(url)
    try:
        infos = socket.getaddrinfo(hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise TransportError("HostNotFound") from exc
    # Scope ids ("fe80::1%eth0") are dropped for the check; link-local is refused anyway.
    addresses = tuple(dict.fromkeys(info[4][0].split("%")[0] for info in infos))
    if not addresses:
        raise TransportError("HostNotFound")
    names, networks = _allow_list()
    if hostname not in names:
        for address in addresses:
            _check_address(ipaddress.ip_address(address), networks)
    return Destination(scheme, hostname, port, path, addresses)


def _pool(destination: Destination, address: str, timeout: float):
    options = {
        "timeout": urllib3.Timeout(connect=timeout, read=timeout),
        "retries": False,
        "maxsize": 1,
    }
    if destination.scheme == "http":
        return urllib3.HTTPConnectionPool(address, destination.port, **options)
    # Connect to the checked IP, but present and verify the host name.
    return urllib3.HTTPSConnectionPool(
        address,
        destination.port,
        server_hostname=destination.hostname,
        assert_hostname=destination.hostname,
        cert_reqs="CERT_REQUIRED",
        ca_certs=CA_BUNDLE,
        **options,
    )


TRANSPORT_ERRORS = (  # most specific first: NewConnectionError is a ConnectTimeoutError
    (urllib3.exceptions.NewConnectionError, "ConnectionError"),
    (urllib3.exceptions.ConnectTimeoutError, "ConnectTimeout"),
    (urllib3.exceptions.ReadTimeoutError, "ReadTimeout"),
    (urllib3.exceptions.SSLError, "SSLError"),
    (urllib3.exceptions.ProtocolError, "ProtocolError"),
)


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST ``body`` to ``url`` after checking it; the response status (the body is never
    read)."""
    return _send("POST", url, headers, timeout, body=body)[0]


def get(url: str, headers: dict[str, str], timeout: float, max_bytes: int) -> tuple[int, bytes]:
    """GET ``url`` after checking it: the status and at most ``max_bytes`` of the body."""
    return _send("GET", url, headers, timeout, read=max_bytes)


def _send(method, url, headers, timeout, *, body=None, read=0) -> tuple[int, bytes]:
    """One request to the checked addresses of ``url``, never following redirects. Tries
    each address in turn while the connection cannot be opened."""
    destination = resolve(url)
    headers = {**headers, "Host": destination.host_header}
    for index, address in enumerate(destination.addresses):
        pool = _pool(destination, address, timeout)
        try:
            response = pool.urlopen(
                method,
                destination.path,
                body=body,
                headers=headers,
                redirect=False,
                preload_content=False,
                assert_same_host=False,
            )
            content = response.read(read) if read else b""
            response.close()
            return response.status, content
        except urllib3.exceptions.HTTPError as exc:
            kind = next((k for cls, k in TRANSPORT_ERRORS if isinstance(exc, cls)), "HTTPError")
            last = index == len(destination.addresses) - 1
            # Only a connection never opened may move on: nothing was sent yet.
            if last or not isinstance(exc, urllib3.exceptions.ConnectTimeoutError):
                raise TransportError(kind) from None
        finally:
            pool.close()
    raise AssertionError("unreachable: resolve() returns at least one address")
