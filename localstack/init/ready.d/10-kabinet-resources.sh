#!/bin/bash
# LocalStack runs this inside its container once it serves requests (READY stage). It
# creates every table, queue and bucket of template.yaml (nested stacks included), without
# a name prefix, through the same provisioner as the local emulators (infra/cmd/localcloud).
# A non-zero exit marks the script ERROR in GET /_localstack/init/ready.
set -euo pipefail

dir=/opt/kabinet
bin=$dir/localcloud

if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then
  echo "kabinet: $bin is missing or not executable; start LocalStack with localstack/test.sh, which builds it (see localstack/README.md)" >&2
  exit 1
fi
if [ ! -f "$dir/template.yaml" ] || [ ! -d "$dir/functions" ]; then
  echo "kabinet: $dir/template.yaml and $dir/functions must be mounted (see localstack/docker-compose.yml)" >&2
  exit 1
fi

echo "kabinet: creating the resources of template.yaml"
"$bin" provision -root "$dir" -endpoint http://localhost:4566 -region "${AWS_DEFAULT_REGION:-us-east-1}"
echo "kabinet: resources created"
