from tests.fakes.workers import spawn_app  # noqa: F401 (fixture)
