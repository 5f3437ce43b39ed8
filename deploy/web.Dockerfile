# The web front: the built SPA served by nginx, which proxies the API to the api service.
# Built from the repo root: docker compose build web

FROM node:20-slim AS build
WORKDIR /app/frontend
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
# Vite bakes VITE_* in at build time (compose passes them as build args).
ARG VITE_API_BASE_URL=""
ARG VITE_RAZORPAY_KEY_ID=""
ARG VITE_GOOGLE_CLIENT_ID=""
RUN npm run build

FROM nginx:1.27-alpine
COPY deploy/nginx.conf /etc/nginx/conf.d/default.conf
# A template: at start the image's entrypoint substitutes PATHSHALA_MEDIA_SECRET (from
# `flask --app wsgi media-link-secret` in the api container) and PATHSHALA_MEDIA_ROOT into
# /etc/nginx/pathshala/media.conf, which nginx.conf includes. Mount the media volume there
# read-only (docker compose: `media:/data:ro` on web).
COPY deploy/nginx-media.conf /etc/nginx/templates/media.conf.template
# Likewise PATHSHALA_CSP (`flask --app wsgi security csp`) into headers.conf.
COPY deploy/nginx-headers.conf /etc/nginx/templates/headers.conf.template
ENV NGINX_ENVSUBST_OUTPUT_DIR=/etc/nginx/pathshala \
    PATHSHALA_MEDIA_ROOT=/data/media
COPY --from=build /app/frontend/dist /usr/share/nginx/html
EXPOSE 80
