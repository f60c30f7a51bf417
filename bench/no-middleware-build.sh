# Sourced by bench/e2e.sh and bench/profile-middleware.sh: builds the embedded gateway for a copy of the sample app
# without its middleware.cs, the baseline of the middleware's cost.
#
#   build_gateway_without_middleware <repository root> <output dir>   -> prints the folder of its Cluster.Gateway.dll
#
# The copy lives under bench/.work (git-ignored; the caller removes it) so the repository's build settings apply to it
# exactly as to the sample, and it is built into its own artifacts folder so the repository's outputs are untouched.
build_gateway_without_middleware() {
  local root=$1 out=$2
  local app="$root/bench/.work/ShopAppNoMiddleware"
  rm -rf "$app"
  mkdir -p "$root/bench/.work"
  cp -r "$root/samples/ShopApp" "$app"
  rm -rf "$app/middleware.cs" "$app/bin" "$app/obj"
  sed -i "s|../../src/Contracts/Contracts.csproj|../../../src/Contracts/Contracts.csproj|" "$app/ShopApp.csproj"
  dotnet build "$root/src/Gateway/Gateway.csproj" -c Release --nologo -v q --artifacts-path "$out/nomw-artifacts" \
    -p:ClusterApp="$app/ShopApp.csproj" >/dev/null
  dirname "$(find "$out/nomw-artifacts/bin/Gateway" -name Cluster.Gateway.dll | head -n 1)"
}
