"""CI: pip-audit the installed environment; a known vulnerability fails, an unreachable index skips.

pip-audit looks every installed package up in PyPI's advisory data. Where that service cannot
answer (no network, or an index mirror without per-release data), pip-audit itself reports
"no known vulnerabilities" having audited nothing: this script says so plainly instead, and
skips. A package with a known vulnerability always fails the run.
"""
from __future__ import annotations

import json
import subprocess
import sys

COMMAND = [sys.executable, "-m", "pip_audit", "--skip-editable", "--progress-spinner", "off",
           "--format", "json"]


def main() -> int:
    result = subprocess.run(COMMAND, capture_output=True, text=True, timeout=600)
    try:
        dependencies = json.loads(result.stdout)["dependencies"]
    except (ValueError, KeyError, TypeError):
        reason = (result.stderr.strip().splitlines() or ["no answer"])[-1][:300]
        print(f"pip-audit: SKIPPED, the advisory service could not be reached ({reason})")
        return 0
    audited = [dependency for dependency in dependencies if "skip_reason" not in dependency]
    vulnerable = [dependency for dependency in audited if dependency.get("vulns")]
    for dependency in vulnerable:
        ids = ", ".join(vuln["id"] for vuln in dependency["vulns"])
        print(f"pip-audit: {dependency['name']} {dependency['version']} is vulnerable: {ids}")
    if vulnerable:
        return 1
    if not audited:
        print(f"pip-audit: SKIPPED, the index answered for none of the {len(dependencies)} "
              "installed packages (no advisory data reachable from here)")
        return 0
    skipped = len(dependencies) - len(audited)
    print(f"pip-audit: {len(audited)} packages audited, no known vulnerabilities"
          + (f" ({skipped} could not be looked up)" if skipped else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
