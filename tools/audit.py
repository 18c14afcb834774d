"""`make lint`'s dependency audit: pip-audit over the installed environment.

Exits 1 when pip-audit names a known vulnerability, or when some dependencies could be audited
and others not. When none could be audited (the vulnerability service, PyPI's JSON API or
OSV, cannot be reached: the case on a machine whose only network is a package mirror), it says
so in a banner and exits 0, so the rest of the lint still runs; it never reports that as a
pass.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PIP_AUDIT = Path(sys.executable).parent / "pip-audit"


def main() -> int:
    done = subprocess.run([str(PIP_AUDIT), "--skip-editable", "--progress-spinner", "off",
                           "--format", "json"], capture_output=True, text=True, check=False)
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        print(done.stderr or done.stdout, file=sys.stderr)
        return 1
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            print(f"{dependency['name']} {dependency.get('version', '')}: {vuln['id']}"
                  f" (fixed in {', '.join(vuln.get('fix_versions', [])) or 'no release'})")
    if vulnerable:
        return 1
    if dependencies and len(skipped) == len(dependencies):
        print(f"pip-audit: NOT AUDITED: none of {len(dependencies)} dependencies could be"
              " looked up (vulnerability service unreachable from this machine)",
              file=sys.stderr)
        return 0
    for dependency in skipped:
        print(f"pip-audit: {dependency['skip_reason']}", file=sys.stderr)
    audited = len(dependencies) - len(skipped)
    print(f"pip-audit: {audited} dependencies audited, no known vulnerability")
    return 1 if skipped else 0


if __name__ == "__main__":
    sys.exit(main())
