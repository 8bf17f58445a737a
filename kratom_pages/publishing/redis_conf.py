"""Where the Redis behind a cache alias is, the time budget its connections get, and the
connection that hears of changes to its keys (``local_tier``)."""

from django.conf import settings

REDIS_BACKENDS = frozenset(
    {"django.core.cache.backends.redis.RedisCache", "django_redis.cache.RedisCache"}
)
# A connection's timeouts where the cache configures none (seconds).
DEFAULT_SOCKET_TIMEOUT = 0.25


def redis_url(alias: str) -> str | None:
    """The URL of the Redis server behind cache ``alias`` (its first, the primary), or
    None when it is not a Redis backend addressed by URL."""
    spec = settings.CACHES.get(alias, {})
    if spec.get("BACKEND") not in REDIS_BACKENDS:
        return None
    location = spec.get("LOCATION")
    if isinstance(location, list | tuple):
        location = location[0] if location else None
    if isinstance(location, str):
        location = location.split(",")[0].strip()
        if location.startswith(("redis://", "rediss://", "unix://")):
            return location
    return None


def socket_timeouts(alias: str) -> tuple[float, float]:
    """The connect and read timeouts configured for cache ``alias`` (django-redis's
    ``SOCKET_CONNECT_TIMEOUT``/``SOCKET_TIMEOUT``, or redis-py's own names for Django's
    backend), or ``DEFAULT_SOCKET_TIMEOUT`` for each that is not set."""
    options = settings.CACHES.get(alias, {}).get("OPTIONS", {}) or {}
    read = options.get("SOCKET_TIMEOUT", options.get("socket_timeout"))
    connect = options.get("SOCKET_CONNECT_TIMEOUT", options.get("socket_connect_timeout"))
    read = DEFAULT_SOCKET_TIMEOUT if read is None else float(read)
    return (read if connect is None else float(connect)), read


def tracking_connection(url: str, alias: str, prefixes: list[str], channel: str):
    """``(connection, client_id)``: a redis-py connection of its own, RESP2, told of every
    change to keys under ``prefixes`` (``CLIENT TRACKING … BCAST``, Redis 6 or later) as
    pub/sub messages on ``channel``, within the cache's time budget (a hung Redis must not
    hold a request). Raises where Redis (or a proxy in front of it) cannot."""
    import redis

    connect_timeout, timeout = socket_timeouts(alias)
    pool = redis.ConnectionPool.from_url(
        url, protocol=2, socket_connect_timeout=connect_timeout, socket_timeout=timeout
    )
    connection = pool.make_connection()
    connection.connect()
    connection.send_command("CLIENT", "ID")
    client_id = connection.read_response()
    connection.send_command(
        "CLIENT", "TRACKING", "ON", "REDIRECT", client_id, "BCAST",
        *[part for prefix in prefixes for part in ("PREFIX", prefix)],
    )  # fmt: skip
    if connection.read_response() != b"OK":
        raise RuntimeError("CLIENT TRACKING refused")
    connection.send_command("SUBSCRIBE", channel)
    connection.read_response()
    return connection, client_id
