from tests.fakes.google_certs import google_issuer  # noqa: F401 (fixture)
from tests.fakes.smtp import _smtp_server_instance, smtp_server  # noqa: F401 (fixtures)
from tests.fakes.workers import spawn_app  # noqa: F401 (fixture)
