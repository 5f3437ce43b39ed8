"""Serves the built SPA (frontend/dist) in the embedded setup; nginx does it in production.

Unknown paths outside /api get index.html so client-side routes survive a reload.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, send_from_directory
from werkzeug.routing import BaseConverter

from pathshala.errors import NotFound


class SpaPathConverter(BaseConverter):
    """Any path except the API's own (/api, /health, /content, /media), so unknown API paths
    stay JSON 404s and known ones keep their 405s."""

    regex = r"(?!(?:api|health|content|media)(?:/|$))[^/].*?"
    part_isolating = False


def register_spa(app: Flask, dist_dir: str) -> None:
    dist = Path(dist_dir)
    spa = Blueprint("spa", __name__)

    app.url_map.converters["spa_path"] = SpaPathConverter

    @spa.route("/", defaults={"path": ""})
    @spa.route("/<spa_path:path>")
    def serve(path: str):
        if not (dist / "index.html").is_file():
            raise NotFound(
                "The web app has not been built yet: run `make run` (or `make build`).",
                code="spa_not_built",
            )
        if path and (dist / path).is_file():
            response = send_from_directory(dist, path)
            if path.startswith("assets/"):
                # Vite puts a content hash in every asset name: cache them for a year.
                response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
            return response
        response = send_from_directory(dist, "index.html")
        response.headers["Cache-Control"] = "no-cache"
        return response

    app.register_blueprint(spa)
