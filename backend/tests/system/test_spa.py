"""The built SPA is served at / with index.html for client-side routes; the API keeps its
JSON 404s and 405s."""

from __future__ import annotations

import pytest

from tests.auth.api import assert_error
from tests.fakes.workers import client_for

INDEX = "<!doctype html><html><body><div id=root></div>pathshala-spa</body></html>"


@pytest.fixture
def dist(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(INDEX)
    (tmp_path / "assets" / "app-3f9c2a.js").write_text("console.log('spa')")
    (tmp_path / "favicon.svg").write_text("<svg/>")
    return tmp_path


@pytest.fixture
def spa(spawn_app, dist):
    return client_for(spawn_app(BACKEND_FRONTEND_DIST_DIR=str(dist)))


@pytest.mark.parametrize(
    "path", ["/", "/some/route", "/courses/abc-123", "/reset-password?token=x"]
)
def test_client_side_routes_get_index_html(spa, path):
    response = spa.get(path)

    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "pathshala-spa" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-cache"


def test_built_files_are_served_and_hashed_assets_cached(spa):
    asset = spa.get("/assets/app-3f9c2a.js")
    icon = spa.get("/favicon.svg")

    assert asset.status_code == 200
    assert asset.get_data(as_text=True) == "console.log('spa')"
    assert "immutable" in asset.headers["Cache-Control"]
    assert icon.status_code == 200 and "immutable" not in icon.headers.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/api/unknown", "/api/auth/unknown", "/health/nope"])
def test_unknown_api_paths_stay_json_404(spa, path):
    assert_error(spa.get(path), 404, "not_found")


def test_known_api_paths_keep_their_405(spa):
    assert_error(spa.get("/api/auth/login"), 405, "method_not_allowed")


def test_the_api_still_answers(spa):
    assert spa.get("/health").get_json()["status"] == "ok"


def test_path_traversal_gets_index_html_not_the_file(spa, dist):
    (dist.parent / "secret.txt").write_text("do not serve")

    response = spa.get("/../secret.txt")
    encoded = spa.get("/%2e%2e/secret.txt")

    for answer in (response, encoded):
        assert "do not serve" not in answer.get_data(as_text=True)


def test_without_a_build_the_root_says_how_to_build(spawn_app, tmp_path):
    unbuilt = client_for(spawn_app(BACKEND_FRONTEND_DIST_DIR=str(tmp_path / "no-dist")))

    body = assert_error(unbuilt.get("/"), 404, "spa_not_built")

    assert "make" in body["message"]
    assert_error(unbuilt.get("/api/unknown"), 404, "not_found")
