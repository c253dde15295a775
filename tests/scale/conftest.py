import pytest

from tests.scale.servers import RedisServer, collect_static


@pytest.fixture
def fast_password_hashing():
    """The servers check passwords with the production hashers, so keep them here too."""


@pytest.fixture(scope="session")
def static_files():
    """DEBUG=0 serves collected, hashed static files: the templates need the manifest."""
    collect_static()


@pytest.fixture
def redis_server():
    """A redis-server of the test's own on a free port; the test may stop and restart it."""
    server = RedisServer().start()
    yield server
    server.stop()
