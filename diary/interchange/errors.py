"""The one error the interchange layer raises for bad input."""

from __future__ import annotations


class ImportFailure(Exception):
    """Input that cannot be imported; says where (file, line, event, property) and why."""

    def __init__(
        self,
        source: str,
        problem: str,
        *,
        line: int | None = None,
        uid: str | None = None,
        prop: str | None = None,
    ) -> None:
        super().__init__(source, problem, line, uid, prop)
        self.source = source
        self.problem = problem
        self.line = line
        self.uid = uid
        self.prop = prop

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        parts = [where]
        what = " ".join(
            part
            for part in (
                f"event {self.uid}" if self.uid else "",
                f"property {self.prop}" if self.prop else "",
            )
            if part
        )
        if what:
            parts.append(what)
        parts.append(self.problem)
        return ": ".join(parts)
