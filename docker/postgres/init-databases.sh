#!/usr/bin/env bash
# Run by the postgres image's entrypoint once, when it initialises an empty data volume.
# Each service gets its own database, owned by its own role (<ctx>_service, as in Kubernetes),
# so no service can reach another service's tables.
set -euo pipefail

for context in order inventory payment shipping; do
  password_variable="${context^^}_DB_PASSWORD"
  # psql quotes the values itself (:"identifier", :'literal'), so a password cannot break the SQL.
  psql --no-psqlrc --set=ON_ERROR_STOP=1 --username="${POSTGRES_USER:-postgres}" --dbname=postgres \
    --set=role="${context}_service" \
    --set=database="${context}" \
    --set=password="${!password_variable:?${password_variable} must be set}" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"database" OWNER :"role";
-- Every role may connect to a new database by default; here only its owner (and superusers) may.
REVOKE CONNECT, TEMPORARY ON DATABASE :"database" FROM PUBLIC;
SQL
done
