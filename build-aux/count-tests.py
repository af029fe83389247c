#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Counts individual test cases in a meson test log.

Meson counts test programs; a GTest program holds many cases. For every TAP
test, each `ok`/`not ok` line is a case (a program that crashed before
reporting counts one failure more); any other test is one case. Prints
`N passed, N failed` and exits non-zero when anything failed or nothing ran.
"""
import json
import re
import sys

passed = failed = 0
with open(sys.argv[1], encoding="utf-8") as log:
    for line in log:
        line = line.strip()
        if not line:
            continue
        test = json.loads(line)
        result = test.get("result", "")
        good_result = result in ("OK", "EXPECTEDFAIL", "SKIP")
        out = test.get("stdout") or ""
        oks = len(re.findall(r"^ok \d+", out, re.M))
        not_oks = len(re.findall(r"^not ok \d+", out, re.M))
        if test.get("protocol") == "tap" or oks or not_oks:
            passed += oks
            failed += not_oks
            if not good_result and not_oks == 0:
                failed += 1
        elif good_result:
            passed += 1
        else:
            failed += 1

print(f"{passed} passed, {failed} failed")
sys.exit(0 if failed == 0 and passed > 0 else 1)
