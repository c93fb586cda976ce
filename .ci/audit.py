"""List known vulnerabilities of the locked dependency set (reliability.md O5).

pip-audit asks PyPI's vulnerability data for every pinned release of requirements.lock. Where
that data cannot be reached (this machine's package mirror has no per-release JSON), it says
so and how many packages it could not check, instead of pretending the set is clean. Known
vulnerabilities fail the run.
"""

from __future__ import annotations

import json
import subprocess
import sys

result = subprocess.run(
    [
        sys.executable,
        "-m",
        "pip_audit",
        "-r",
        "requirements.lock",
        "--require-hashes",
        "--disable-pip",
        "--progress-spinner",
        "off",
        "--format",
        "json",
    ],
    capture_output=True,
    text=True,
    timeout=300,
)
try:
    report = json.loads(result.stdout)
except json.JSONDecodeError:
    print(f"vulnerability audit could not run: {result.stderr.strip()[-500:]}")
    sys.exit(0)
dependencies = report.get("dependencies", [])
skipped = [d["name"] for d in dependencies if d.get("skip_reason")]
vulnerable = [(d["name"], d["version"], v["id"]) for d in dependencies for v in d.get("vulns", [])]
audited = len(dependencies) - len(skipped)
print(
    f"vulnerability audit of requirements.lock: {audited} of {len(dependencies)} packages checked, "
    f"{len(vulnerable)} known vulnerabilities"
)
if skipped and not audited:
    print("the vulnerability database is not reachable from here; nothing could be checked")
for name, version, vuln in vulnerable:
    print(f"  {name} {version}: {vuln}")
sys.exit(1 if vulnerable else 0)
