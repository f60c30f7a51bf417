# syntax=docker/dockerfile:1
# The gateway image (cluster-gateway). Build from the repository root, which is the build context:
#   docker build -f deploy/docker/gateway.Dockerfile -t cluster-gateway:0.1.0 .
#   docker build -f deploy/docker/gateway.Dockerfile --build-arg ClusterApp=apps/MyApp/MyApp.csproj -t my-gateway:1.0.0 .
# ClusterApp is the app's .csproj relative to the build context (the app's folder must be inside it; see
# deploy/k8s/README.md). Kubernetes probes /_cluster/healthz and /_cluster/readyz, so the image has no HEALTHCHECK.

ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
# Restore layer: only what restore reads, so a source change does not download packages again. It restores the host
# for the sample app; another app's own packages are restored by the publish below.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY eng/ eng/
COPY src/Contracts/Contracts.csproj src/Contracts/
COPY src/Contracts.Generators/Contracts.Generators.csproj src/Contracts.Generators/
COPY src/Runtime/Runtime.csproj src/Runtime/
COPY src/Grains/Grains.csproj src/Grains/
COPY src/Gateway/Gateway.csproj src/Gateway/
COPY samples/ShopApp/ShopApp.csproj samples/ShopApp/
RUN dotnet restore src/Gateway/Gateway.csproj
# Sources, then the app chosen at build time.
COPY . .
ARG ClusterApp=samples/ShopApp/ShopApp.csproj
RUN dotnet publish src/Gateway/Gateway.csproj -c Release -o /app --no-self-contained -p:UseAppHost=false \
      "-p:ClusterApp=/src/${ClusterApp}"

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime
WORKDIR /app
COPY --from=build --chown=root:root /app ./
# The HTTP port is stated rather than left to the image's default. APP_UID is the non-root user the .NET images define
# (1654); the published files stay owned by root, so the process cannot rewrite its own code.
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "Cluster.Gateway.dll"]
