"""gunicorn --chdir backend wsgi:app  |  flask --app wsgi ..."""

from pathshala import create_app

app = create_app()
