"""An import-linter contract for DESIGN.md section 2: no import circles between modules.

import-linter's own ``acyclic_siblings`` squashes packages, so it reports a package whose
``models`` a sibling's ``services`` use as a circle; this contract looks at modules themselves.
Every import counts, the ones written inside functions included (the graph holds them), so an
import moved into a function to dodge a circle does not hide it.
"""

from __future__ import annotations

from importlinter import Contract, ContractCheck, fields, output


def strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """The import circles of ``edges`` (module -> modules it imports): Tarjan's algorithm,
    iterative so that a deep chain of imports cannot exhaust the stack."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


class AcyclicModulesContract(Contract):
    """``type = acyclic_modules``; ``packages``: the packages whose modules may not import in a circle."""

    type_name = "acyclic_modules"
    packages = fields.ListField(subfield=fields.StringField())

    def check(self, graph, verbose: bool) -> ContractCheck:
        roots = tuple(self.packages)
        inside = {m for m in graph.modules if m in roots or m.startswith(tuple(r + "." for r in roots))}
        edges = {m: {d for d in graph.find_modules_directly_imported_by(m) if d in inside} for m in inside}
        circles = strongly_connected(edges)
        details = []
        for circle in circles:
            members = set(circle)
            lines = []
            for module in circle:
                for imported in sorted(edges[module] & members):
                    for imp in graph.get_import_details(importer=module, imported=imported):
                        lines.append(f"{module}:{imp['line_number']} imports {imported}")
            details.append(lines)
        return ContractCheck(kept=not circles, metadata={"circles": details})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for number, lines in enumerate(check.metadata["circles"], start=1):
            output.print_error(f"Import circle {number}:", bold=True)
            for line in lines:
                output.indent_cursor()
                output.print_error(line)
            output.new_line()
