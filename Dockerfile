# One image for every onestop service and the gateway; a Deployment picks the service by its args:
#   nameko run --config /app/config.yaml services.intake.service:IntakeService
# Build: docker build -t onestop:dev .
# The web console, built with its locked packages; its type check runs against the API's
# OpenAPI document (console/openapi.json), as in CI.
FROM node:20-bookworm-slim AS console
WORKDIR /console
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY console/package.json console/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY console ./
RUN npm run build

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY shared shared
COPY services services
COPY gateway gateway
COPY onestop onestop
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
# Pango, HarfBuzz's subsetter and the Noto CJK fonts for the archive's printed dossiers
# (WeasyPrint). psycopg's C build brings its own libpq.
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --uid 10001 --create-home --shell /usr/sbin/nologin onestop
# Every dependency as locked, each file checked against its hash (scripts/lock makes the lock);
# then the project itself, which brings no other.
COPY requirements/runtime.lock /tmp/runtime.lock
RUN pip install --no-cache-dir --require-hashes -r /tmp/runtime.lock && rm /tmp/runtime.lock
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-deps /wheels/*.whl && rm -rf /wheels
WORKDIR /app
COPY shared/config.yaml /app/config.yaml
# The gateway serves the console at / from here (GATEWAY.console_dir).
COPY --from=console /console/dist /app/console
USER 10001
ENV PYTHONUNBUFFERED=1 PYTHONWARNINGS=ignore::DeprecationWarning ONESTOP_DATA_DIR=/tmp/onestop \
    ONESTOP_HTTP_ADDRESS=0.0.0.0:8000 ONESTOP_CONSOLE_DIR=/app/console
EXPOSE 8000 9100
ENTRYPOINT ["nameko", "run", "--config", "/app/config.yaml"]
CMD ["gateway.service:GatewayService"]
