#!/usr/bin/env bash
# Builds (once) the real control plane the conformance tier runs, and installs etcd if it is missing.
#
#   test/conformance/build.sh [--budget-seconds N] [--no-etcd-install] [--istiod]
#
# kube-apiserver is built from k8s.io/kubernetes at the version pinned in test/conformance/build/go.mod,
# through the Go module proxy, into the cache ($MESHDECK_CONFORMANCE_CACHE, else
# ${XDG_CACHE_HOME:-~/.cache}/meshdeck/conformance/kube-apiserver-<version>/). A second run reuses it.
# Istio's CRDs are extracted from istio.io/istio (pinned in build/istio/go.mod) into istio-<version>/;
# --istiod also builds pilot-discovery there and copies the istio-discovery chart next to it (its
# injection templates and values, for istiod's sidecar injector).
# etcd comes from Debian's etcd-server package (apt-get, as root) when no etcd is on the PATH.
#
# Exit codes: 0 the binaries are there (their paths are printed last, as KEY=path lines);
#             3 they cannot be had here (no Go, a download refused or impossible, the budget ran out):
#               the tier should be skipped, with the reason printed;
#             anything else: a bug in this script.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
budget=0
install_etcd=1
istiod=0
while [ $# -gt 0 ]; do
  case "$1" in
    --budget-seconds) budget="$2"; shift 2 ;;
    --no-etcd-install) install_etcd=0; shift ;;
    --istiod) istiod=1; shift ;;
    *) echo "usage: $0 [--budget-seconds N] [--no-etcd-install] [--istiod]" >&2; exit 2 ;;
  esac
done

say() { echo "conformance build: $*" >&2; }
cannot() { say "CANNOT: $*"; exit 3; }

cache="${MESHDECK_CONFORMANCE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/meshdeck/conformance}"
k8s_version="$(awk '$1 == "require" && $2 == "k8s.io/kubernetes" { print $3 }' "$here/build/go.mod")"
[ -n "$k8s_version" ] || { say "no k8s.io/kubernetes version in $here/build/go.mod"; exit 1; }
apiserver_dir="$cache/kube-apiserver-$k8s_version"
apiserver="$apiserver_dir/kube-apiserver"

# --- etcd --------------------------------------------------------------------------------------------
etcd_bin="$(command -v etcd || true)"
if [ -z "$etcd_bin" ]; then
  if [ "$install_etcd" = 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "etcd is missing: installing Debian's etcd-server"
    started=$SECONDS
    if ! { apt-get install -y -q --no-install-recommends etcd-server >/dev/null 2>&1 ||
           { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q --no-install-recommends etcd-server >/dev/null 2>&1; }; }; then
      cannot "apt-get install etcd-server failed"
    fi
    say "etcd-server installed in $((SECONDS - started)) s"
    etcd_bin="$(command -v etcd || true)"
  fi
  [ -n "$etcd_bin" ] || cannot "no etcd on the PATH (install Debian's etcd-server)"
fi
# Debian's etcd service starts on install; the harness runs its own, so the packaged one is left alone.

# --- Go builds ---------------------------------------------------------------------------------------
du_mb() { du -sm "$1" 2>/dev/null | awk '{ print $1 }'; }
script_started=$SECONDS
remaining_budget() {
  if [ "$budget" -gt 0 ]; then echo $((budget - (SECONDS - script_started))); else echo 0; fi
}

# go_build WHAT MODULE_DIR OUTPUT STATS_FILE -- go build arguments...
# Builds into OUTPUT (atomically), records time and disk use in STATS_FILE; exits 3 when it cannot be done.
go_build() {
  local what="$1" module_dir="$2" output="$3" stats="$4"; shift 5
  command -v go >/dev/null || cannot "Go is not installed, so $what cannot be built"
  mkdir -p "$(dirname "$output")" || cannot "cannot create $(dirname "$output")"
  local modcache gocache mod_before build_before started status elapsed left log
  modcache="$(go env GOMODCACHE)"; gocache="$(go env GOCACHE)"
  mod_before=$(du_mb "$modcache"); build_before=$(du_mb "$gocache")
  local runner=()
  if [ "$budget" -gt 0 ]; then
    left=$(remaining_budget)
    [ "$left" -gt 30 ] || cannot "no build budget left for $what"
    runner=(timeout --kill-after=10 "$left")
  fi
  log="$(dirname "$output")/build.log"
  started=$SECONDS
  (cd "$module_dir" && "${runner[@]}" go build -mod=readonly -trimpath -o "$output.partial" "$@") >"$log" 2>&1
  status=$?
  elapsed=$((SECONDS - started))
  if [ $status -ne 0 ]; then
    tail -n 15 "$log" >&2
    rm -f "$output.partial"
    if [ $status -eq 124 ] || [ $status -eq 137 ]; then cannot "building $what did not finish within the budget (${budget} s); the Go build cache keeps what was compiled, so a later run gets further"; fi
    if grep -qiE 'dial tcp|403 Forbidden|404 Not Found|not available|connection refused|no such host|i/o timeout|verifying module|TLS handshake' "$log"; then
      cannot "a module download for $what failed (see $log)"
    fi
    say "building $what failed after ${elapsed} s (see $log)"
    exit 1
  fi
  mv "$output.partial" "$output"
  {
    echo "$what built $(date -u +%Y-%m-%dT%H:%M:%SZ) with $(go version | awk '{ print $3 }') on $(nproc) cores"
    echo "build seconds: $elapsed"
    echo "binary MB: $(du_mb "$output")"
    echo "module cache MB: $mod_before -> $(du_mb "$modcache") ($modcache)"
    echo "build cache MB: $build_before -> $(du_mb "$gocache") ($gocache)"
  } > "$stats"
  sed 's/^/conformance build: /' "$stats" >&2
}

# --- kube-apiserver ----------------------------------------------------------------------------------
if [ -x "$apiserver" ] && "$apiserver" --version >/dev/null 2>&1; then
  say "kube-apiserver $k8s_version cached at $apiserver"
else
  say "building kube-apiserver $k8s_version from k8s.io/kubernetes via the Go module proxy ($(go version 2>/dev/null | awk '{ print $3 }'), $(nproc) cores)"
  say "the first build downloads about 1 GB of modules and compiles for about 10 minutes on 2 cores; later runs reuse it"
  minor="${k8s_version#v1.}"; minor="${minor%%.*}"
  ldflags="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  done
  go_build "kube-apiserver $k8s_version" "$here/build" "$apiserver" "$apiserver_dir/build-stats.txt" -- \
    -ldflags "$ldflags" k8s.io/kubernetes/cmd/kube-apiserver
fi

# --- Istio: CRDs (always), istiod (with --istiod) ------------------------------------------------------
istio_version="$(awk '$1 == "require" && $2 == "istio.io/istio" { print $3 }' "$here/build/istio/go.mod")"
[ -n "$istio_version" ] || { say "no istio.io/istio version in $here/build/istio/go.mod"; exit 1; }
istio_dir="$cache/istio-$istio_version"
crds="$istio_dir/crd-all.gen.yaml"
if [ -s "$crds" ]; then
  say "Istio CRDs ($istio_version) cached at $crds"
else
  say "extracting Istio's CRDs from istio.io/istio $istio_version"
  go_build "istio-crds $istio_version" "$here/build/istio" "$istio_dir/istio-crds" "$istio_dir/crds-build-stats.txt" -- ./istio-crds
  "$istio_dir/istio-crds" > "$crds.partial" && mv "$crds.partial" "$crds" || cannot "istio-crds failed"
fi
if [ "$istiod" = 1 ]; then
  pilot="$istio_dir/pilot-discovery"
  if [ -x "$pilot" ]; then
    say "pilot-discovery ($istio_version) cached at $pilot"
  else
    say "building pilot-discovery (istiod) from istio.io/istio $istio_version"
    go_build "pilot-discovery $istio_version" "$here/build/istio" "$pilot" "$istio_dir/build-stats.txt" -- \
      -ldflags "-s -w" istio.io/istio/pilot/cmd/pilot-discovery
  fi
  echo "PILOT_DISCOVERY=$pilot"
  # The istio-discovery chart's injection templates and values, from which the harness renders the
  # istio-sidecar-injector ConfigMap istiod's injection webhook reads (Helm would render it at install).
  chart="$istio_dir/istio-discovery"
  if [ -s "$chart/values.yaml" ]; then
    say "the istio-discovery chart ($istio_version) cached at $chart"
  else
    # (A pilot-discovery cached before the chart was copied: the module may have left the module cache.)
    (cd "$here/build/istio" && go mod download istio.io/istio) >/dev/null 2>&1 || cannot "downloading istio.io/istio $istio_version for its chart failed"
    istio_src="$(cd "$here/build/istio" && go list -mod=readonly -m -f '{{.Dir}}' istio.io/istio 2>/dev/null)"
    src="$istio_src/manifests/charts/istio-control/istio-discovery"
    [ -n "$istio_src" ] && [ -s "$src/values.yaml" ] || cannot "the istio-discovery chart is not in the module cache ($src)"
    rm -rf "$chart.partial" && cp -r "$src" "$chart.partial" && chmod -R u+w "$chart.partial" && mv "$chart.partial" "$chart" ||
      cannot "copying the istio-discovery chart to $chart failed"
    say "copied the istio-discovery chart to $chart"
  fi
  echo "ISTIO_DISCOVERY_CHART=$chart"
fi

echo "ETCD=$etcd_bin"
echo "KUBE_APISERVER=$apiserver"
echo "ISTIO_CRDS=$crds"
