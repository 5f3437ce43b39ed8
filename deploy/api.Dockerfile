# The API: Flask app under gunicorn. Built from the repo root: docker compose build api
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --system --create-home --home-dir /home/app app \
    && mkdir -p /data/media /app/backend/instance \
    && chown -R app:app /data /app

WORKDIR /app
# Same layout as the repository (backend/ beside db/): the app finds its migrations by path,
# so the package is installed editable in place.
COPY --chown=app:app backend/ backend/
COPY --chown=app:app db/ db/
RUN pip install -e ./backend

USER app
WORKDIR /app/backend
ENV BACKEND_ENV=production \
    BACKEND_STORAGE_DIR=/data/media \
    GUNICORN_WORKERS=2
EXPOSE 5000
VOLUME ["/data"]

HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=5 \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:5000/health', timeout=4).status != 200)"

# Migrate, then serve. exec: gunicorn becomes PID 1 and receives docker's SIGTERM.
CMD ["sh", "-c", "flask --app wsgi db upgrade && exec gunicorn wsgi:app -b 0.0.0.0:5000 -w \"$GUNICORN_WORKERS\" --access-logfile -"]
