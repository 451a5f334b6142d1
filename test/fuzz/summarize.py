"""Summarises one schemathesis run of the fuzzing gate from its NDJSON event stream.

    python summarize.py STORE EVENTS.ndjson BASE_URL SECONDS EXIT_CODE

Prints one line with the number of requests schemathesis made (every recorded interaction, by
phase) and then each distinct failure once: the check, the operation, the status and problem
code it got, how often, and a curl that reproduces the smallest example. Standard library only.
"""

from __future__ import annotations

import base64
import json
import shlex
import sys
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Group:
    code: str
    check: str
    title: str
    operation: str
    status: int | None
    problem: str
    count: int = 0
    example: dict | None = None
    example_size: int = 1 << 62
    messages: set[str] = field(default_factory=set)


def decode(body: object) -> str:
    if isinstance(body, dict) and "$base64" in body:
        return base64.b64decode(body["$base64"]).decode("utf-8", "replace")
    if isinstance(body, dict) and "string" in body:
        return str(body["string"])
    return "" if body is None else str(body)


def problem_of(response: dict | None) -> str:
    """The problem code and detail of a problem+json answer, or the start of any other body."""
    if not response:
        return "no response"
    text = decode(response.get("content"))
    try:
        doc = json.loads(text)
    except ValueError:
        return text[:80].replace("\n", " ")
    if isinstance(doc, dict) and "code" in doc:
        detail = str(doc.get("detail", ""))
        return f'{doc["code"]}: {detail[:160]}'
    return text[:80]


def curl(request: dict, base_url: str) -> str:
    parts = ["curl", "-sS", "-i", "-X", request.get("method", "GET"), shlex.quote(request.get("uri", base_url))]
    for name, values in (request.get("headers") or {}).items():
        for value in values:
            if name.lower() == "authorization":
                value = "Bearer $TOKEN" if value == "[Filtered]" else value
                parts += ["-H", f'"{name}: {value}"']
            elif name.lower() not in {"user-agent", "accept-encoding", "accept", "connection", "content-length"}:
                parts += ["-H", shlex.quote(f"{name}: {value}")]
    body = request.get("body")
    if body is not None:
        parts += ["--data-binary", shlex.quote(decode(body))]
    return " ".join(parts)


def main() -> int:
    store, events_path, base_url, seconds, exit_code = sys.argv[1:6]
    requests: Counter[str] = Counter()
    groups: dict[tuple, Group] = {}
    errors: list[str] = []
    with open(events_path, encoding="utf-8") as events:
        for line in events:
            event = json.loads(line)
            if "NonFatalError" in event or "FatalError" in event:
                info = event.get("NonFatalError") or event.get("FatalError") or {}
                errors.append(json.dumps(info.get("info", info))[:300])
                continue
            finished = event.get("ScenarioFinished")
            if not finished:
                continue
            recorder = finished.get("recorder") or {}
            interactions = recorder.get("interactions") or {}
            requests[finished.get("phase", "?")] += len(interactions)
            for case_id, checks in (recorder.get("checks") or {}).items():
                for check in checks:
                    if check.get("status") != "failure":
                        continue
                    failure = (check.get("failure_info") or {}).get("failure") or {}
                    interaction = interactions.get(case_id) or {}
                    request = interaction.get("request") or {}
                    response = interaction.get("response")
                    status = response.get("status_code") if response else None
                    operation = failure.get("operation") or recorder.get("label", "?")
                    problem = problem_of(response)
                    # One group per check, operation, status and problem code (not the detail,
                    # which quotes the generated input).
                    key = (failure.get("code"), check.get("name"), operation, status, problem.split(":")[0])
                    group = groups.get(key)
                    if group is None:
                        group = groups[key] = Group(
                            code=str(failure.get("code", "?")),
                            check=str(check.get("name")),
                            title=str(failure.get("title", "")),
                            operation=operation,
                            status=status,
                            problem=problem,
                        )
                    group.count += 1
                    group.messages.add(str(failure.get("message", "")).split("\n")[0][:200])
                    size = len(json.dumps(request))
                    if request and size < group.example_size:
                        group.example, group.example_size, group.problem = request, size, problem

    total = sum(requests.values())
    by_phase = ", ".join(f"{phase} {count}" for phase, count in sorted(requests.items()))
    verdict = "passed" if exit_code == "0" else f"FAILED (schemathesis exit {exit_code})"
    print(
        f"fuzz: {store}: {verdict}: {total} requests ({by_phase}) in {seconds}s, "
        f"{len(groups)} distinct failures, {len(errors)} errors"
    )
    for group in sorted(groups.values(), key=lambda g: (g.operation, g.code, g.status or 0)):
        print(f"  {group.code} {group.check}: {group.operation} -> {group.status} {group.problem} (x{group.count})")
        for message in sorted(group.messages)[:2]:
            print(f"      {message}")
        if group.example:
            print(f"      {curl(group.example, base_url)}")
    for error in errors[:10]:
        print(f"  error: {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
