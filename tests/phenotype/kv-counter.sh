#!/usr/bin/env bash
# kv-counter.sh COMPILER TEST_KV_GENE WORK GENES-DIR -- the example gene
# genes/bpf/kv_counter.c (docs/GENES.md), compiled by phenotype-compile into
# a phenotype of two channels (its own and the console's, with the
# peroxisome that prints its lines) and run over three "boots" of one RAM
# disk by test_kv_gene.c.
set -euo pipefail
compile=$1 test=$2 work=$3 genes=$4
rm -rf "$work" && mkdir -p "$work"
cat >"$work/counter.yaml" <<'YAML'
name: kv-counter
arch: hosted
quantum_ns: 1000000
scheduler: {gas: 600, proof_quanta: 6, epoch_quanta: 3}
channels:
  - {id: 0, name: console, qos: BE, priority: 1, bucket: 4, bucket_max: 8, refill_per_tick: 2, queue_depth: 8}
  - {id: 1, name: storage, qos: BE, priority: 2, bucket: 2, bucket_max: 4, refill_per_tick: 1, queue_depth: 4}
edges:
  - {from: storage, to: console}
genes:
  - {id: 1, kind: peroxi_sanitize, channel: console, budget: {cpu: 64, io: 2048, mem: 256},
     code: {object: peroxi_sanitize, helpers: [recv, console], gas: 600}}
  - {id: 2, kind: bytecode, channel: storage, budget: {cpu: 16, io: 256, mem: 0},
     code: {object: kv_counter, helpers: [kv_get, kv_put, log], gas: 2000}}
YAML
"$compile" --code-dir "$genes" -o "$work/counter.pbin" "$work/counter.yaml"
"$test" "$work/counter.pbin"
