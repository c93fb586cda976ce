FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

RUN useradd --create-home --uid 10001 portal && mkdir -p /data /simulator && chown portal /data /simulator
COPY pyproject.toml README.md requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY portal ./portal
COPY lexware ./lexware
RUN pip install --no-cache-dir --no-deps .
COPY manage.py ./
COPY templates ./templates
# The compiled German catalogue (committed .mo; README "Translations").
COPY locale ./locale
COPY static ./static

# collectstatic needs settings that load; these values exist only for this build step.
RUN DEBUG=false SECRET_KEY=build-only LEXWARE_BASE_URL=https://api.lexware.io PORTAL_ENCRYPTION_KEYS=$(python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())") \
    STATIC_ROOT=/app/staticfiles python manage.py collectstatic --noinput

USER portal
ENV STATIC_ROOT=/app/staticfiles PORTAL_VAR_DIR=/data
EXPOSE 8000
# Threads per process, one process per core, the redacting access log: portal/gunicorn_conf.py.
CMD ["gunicorn", "-c", "python:portal.gunicorn_conf", "portal.wsgi:application"]
