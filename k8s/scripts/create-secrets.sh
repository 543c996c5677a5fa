#!/usr/bin/env bash
# Creates the Secrets the order platform reads, with random passwords, in the current
# kubectl context. Existing Secrets are kept, so running it again is safe; --rotate
# replaces every one of them. No value is printed or written anywhere else.
# The caller-token key pair is made with openssl and kept in shell variables only.
#
# Not created here: gateway-tls, the Ingress certificate (cert-manager, or
# `kubectl -n orders create secret tls gateway-tls --cert=... --key=...`).
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: k8s/scripts/create-secrets.sh [--rotate] [--namespace NAME]

  --rotate           replace existing Secrets with new random values and a new caller-token
                     key pair; restart the apps and NATS afterwards (kubectl rollout
                     restart), they read them at start-up
  --namespace NAME   namespace of the platform (default: orders)
EOF
}

namespace=orders
rotate=false
while (($# > 0)); do
  case $1 in
    --rotate) rotate=true ;;
    --namespace) namespace=${2:?--namespace needs a name}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
  shift
done

for tool in kubectl openssl; do
  command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 1; }
done

# URL-safe (hex), so a password can sit in DATABASE_URL unescaped. nats-server reads a
# value starting with a digit as a number, so every value starts with a letter.
random_value() {
  printf 'p%s' "$(openssl rand -hex 24)"
}

secret_exists() {
  kubectl -n "$namespace" get secret "$1" >/dev/null 2>&1
}

# create_secret NAME APP COMPONENT ARGS...: `kubectl create secret ARGS` with the value read from
# stdin (never on a command line), labelled like the platform's other objects.
create_secret() {
  local name=$1 app=$2 component=$3
  shift 3
  kubectl -n "$namespace" create secret "$@" "$name" --dry-run=client -o yaml \
    | kubectl label --local -f - -o yaml \
      "app.kubernetes.io/name=$app" \
      "app.kubernetes.io/component=$component" \
      "app.kubernetes.io/part-of=order-platform" \
    | kubectl apply -f -
}

# apply_secret NAME APP COMPONENT ARGS...: create_secret with a random value, unless it exists
# and --rotate was not given.
apply_secret() {
  if [[ $rotate == false ]] && secret_exists "$1"; then
    echo "secret/$1 kept"
    return
  fi
  random_value | create_secret "$@"
}

if ! kubectl get namespace "$namespace" >/dev/null 2>&1; then
  kubectl create namespace "$namespace"
fi

# NATS logins, one per app: the app reads it as NATS_PASSWORD, the NATS servers as <APP>_PASSWORD.
for app in gateway:api web-bff:bff mobile-bff:bff order-service:service inventory-service:service \
  payment-service:service shipping-service:service; do
  apply_secret "${app%%:*}-nats" "${app%%:*}" "${app#*:}" generic --from-file=password=/dev/stdin
done
apply_secret nats-stream-admin nats-streams messaging generic --from-file=password=/dev/stdin

# Database owners: CloudNativePG creates the role from it, the service connects with it.
for ctx in order inventory payment shipping; do
  apply_secret "$ctx-db-credentials" "$ctx-db" database generic --type=kubernetes.io/basic-auth \
    --from-literal=username="${ctx}_service" --from-file=password=/dev/stdin
done

# Signs the access tokens (HS256; the gateway wants at least 32 characters).
apply_secret gateway-jwt gateway api generic --from-file=secret=/dev/stdin

# The caller-token key pair (EC P-256): the gateway signs with the private key (PKCS#8 PEM),
# every app behind it verifies with the public key (SPKI PEM). Created and replaced together,
# so the two always match: if either is missing, both are made anew.
if [[ $rotate == false ]] && secret_exists gateway-caller-token && secret_exists caller-token-public-key; then
  echo "secret/gateway-caller-token kept"
  echo "secret/caller-token-public-key kept"
else
  private_key=$(openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt)
  printf '%s\n' "$private_key" | openssl ec -pubout 2>/dev/null \
    | create_secret caller-token-public-key gateway api generic --from-file=public-key=/dev/stdin
  printf '%s\n' "$private_key" | create_secret gateway-caller-token gateway api generic --from-file=private-key=/dev/stdin
  unset private_key
fi
