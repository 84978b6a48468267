#!/usr/bin/env python3
"""Runs gridlock-check --format sarif on the annotated inputs and validates each output against the
SARIF 2.1.0 JSON schema (sarif-2.1.0-rtm.5.json, the final 2.1.0 schema as published by OASIS,
taken from the npm package @microsoft/jest-sarif). Also checks what GitHub code scanning needs:
a stable ruleId, URIs relative to %SRCROOT% (no absolute path of this machine), partialFingerprints
and one threadFlow per actor."""
import json
import subprocess
import sys

import jsonschema

tool, schema_path, inputs, include, mpi_corpus = sys.argv[1:6]
schema = json.load(open(schema_path))
validator = jsonschema.Draft4Validator(schema)
checked = 0
# (directory, file, gridlock-check options, compiler flags)
runs = [(inputs, name, [], ["-std=c++20", f"-I{include}"])
        for name in ["circular_send.cpp", "recv_recv.cpp", "unmatched.cpp", "lock_across_send.cpp", "negatives.cpp"]]
runs += [(mpi_corpus, name, ["--api", "mpi"], [])  # MPI findings: one threadFlow per rank
         for name in ["ring_recv_first.c", "send_send.c", "barrier_skipped.c", "different_collectives.c"]]
for directory, name, options, flags in runs:
    out = subprocess.run([tool, "--format", "sarif", *options, f"{directory}/{name}", "--", *flags],
                         capture_output=True, text=True, cwd=directory)
    if out.returncode not in (0, 1):
        sys.exit(f"{name}: gridlock-check failed ({out.returncode}): {out.stderr}")
    sarif = json.loads(out.stdout)
    assert directory not in out.stdout, f"{name}: the SARIF carries the absolute path {directory}"
    assert "%SRCROOT%" in sarif["runs"][0]["originalUriBaseIds"], "no originalUriBaseIds"
    errors = sorted(validator.iter_errors(sarif), key=str)
    if errors:
        sys.exit(f"{name}: SARIF does not validate: {errors[0].message} at {list(errors[0].path)}")
    for result in sarif["runs"][0]["results"]:
        assert result["ruleId"].startswith("gridlock-"), result["ruleId"]
        artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert artifact["uri"] == name, f"{name}: uri {artifact['uri']} is not relative to the source root"
        assert artifact.get("uriBaseId") == "%SRCROOT%", f"{name}: no uriBaseId %SRCROOT%"
        assert result["partialFingerprints"], "no partialFingerprints"
        flows = result["codeFlows"][0]["threadFlows"]
        assert len(flows) == len(result["relatedLocations"]), "one threadFlow per actor"
        checked += 1
if checked == 0:
    sys.exit("no SARIF result was checked")
print(f"{checked} SARIF results validate against SARIF 2.1.0")
