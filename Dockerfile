# syntax=docker/dockerfile:1
# Portal.Web container image.
#   docker build -t portal-web .
#   docker compose up --build        (app + PostgreSQL 15, see docker-compose.yml)

# ---- build -----------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1
WORKDIR /src

# Restore first from the solution, build props and every project file only, so the
# package layer stays cached until a project file or a package version changes.
COPY global.json Directory.Build.props Directory.Packages.props Portal.sln ./
COPY Portal.Data/Portal.Data.csproj       Portal.Data/
COPY Portal.Domain/Portal.Domain.csproj   Portal.Domain/
COPY Portal.Billing/Portal.Billing.csproj Portal.Billing/
COPY Portal.Rag/Portal.Rag.csproj         Portal.Rag/
COPY Portal.Llm/Portal.Llm.csproj         Portal.Llm/
COPY Portal.Telephony/Portal.Telephony.csproj Portal.Telephony/
COPY Portal.Voice/Portal.Voice.csproj     Portal.Voice/
COPY Portal.Jobs/Portal.Jobs.csproj       Portal.Jobs/
COPY Portal.Web/Portal.Web.csproj         Portal.Web/
COPY tests/Directory.Build.props          tests/
COPY tests/Portal.Domain.Tests/Portal.Domain.Tests.csproj           tests/Portal.Domain.Tests/
COPY tests/Portal.IntegrationTests/Portal.IntegrationTests.csproj   tests/Portal.IntegrationTests/
COPY tests/Portal.E2E/Portal.E2E.csproj                             tests/Portal.E2E/
COPY tests/Portal.Voice.Tests/Portal.Voice.Tests.csproj             tests/Portal.Voice.Tests/
COPY tests/Portal.Telephony.Tests/Portal.Telephony.Tests.csproj     tests/Portal.Telephony.Tests/
COPY tests/Portal.Rag.Tests/Portal.Rag.Tests.csproj                 tests/Portal.Rag.Tests/
COPY tests/Portal.Web.Tests/Portal.Web.Tests.csproj                 tests/Portal.Web.Tests/
COPY tests/Support/Directory.Build.props                            tests/Support/
COPY tests/Support/Portal.Fakes/Portal.Fakes.csproj                 tests/Support/Portal.Fakes/
COPY tests/Support/Portal.Domain.Testing/Portal.Domain.Testing.csproj tests/Support/Portal.Domain.Testing/
COPY tools/Portal.CallSimulator/Portal.CallSimulator.csproj         tools/Portal.CallSimulator/
COPY tools/Portal.LoadDriver/Portal.LoadDriver.csproj               tools/Portal.LoadDriver/
COPY tools/Portal.FakeVendors/Portal.FakeVendors.csproj             tools/Portal.FakeVendors/
COPY benchmarks/Portal.Benchmarks/Portal.Benchmarks.csproj         benchmarks/Portal.Benchmarks/
COPY benchmarks/Portal.Voice.Benchmarks/Portal.Voice.Benchmarks.csproj   benchmarks/Portal.Voice.Benchmarks/
RUN dotnet restore Portal.sln

COPY . .
RUN dotnet publish Portal.Web/Portal.Web.csproj -c Release -o /app --no-restore -p:UseAppHost=false
# ONNX Runtime (the local embedding model, docs/decisions/ADR-011-local-embedding-model.md) ships native libraries for
# every platform under runtimes/; the image is Linux: keep linux-x64 and linux-arm64, drop the rest (about 250 MB), and
# fail the build if the library the x64 image loads is missing.
RUN find /app/runtimes -mindepth 1 -maxdepth 1 -type d ! -name 'linux-x64' ! -name 'linux-arm64' -exec rm -rf {} + \
 && test -f /app/runtimes/linux-x64/native/libonnxruntime.so

# ---- runtime ---------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# espeak-ng: text-to-speech used by Portal.Voice; libpocketsphinx3 + pocketsphinx-en-us: offline speech-to-text
# (P/Invoke, keyless mode); curl: HEALTHCHECK.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends espeak-ng libpocketsphinx3 pocketsphinx-en-us curl ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY --from=build /app ./
# Data Protection keys live in /app/keys (mount a volume there; see docker-compose.yml).
# The directory is owned by the image's non-root "app" user ($APP_UID) so a new volume inherits that.
RUN mkdir -p /app/keys && chown "$APP_UID" /app/keys

ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_HTTP_PORTS= \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
USER $APP_UID
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
  CMD curl -fsS -o /dev/null http://localhost:8080/health || exit 1
ENTRYPOINT ["dotnet", "Portal.Web.dll"]
