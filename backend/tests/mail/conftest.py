from tests.fakes.smtp import _smtp_server_instance, smtp_server  # noqa: F401 (fixtures)
from tests.fakes.workers import spawn_app  # noqa: F401 (fixture)
