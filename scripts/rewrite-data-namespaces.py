#!/usr/bin/env python3
"""Rewrites C# and Razor sources for the Portal.Data split (docs/decisions/ADR-027-data-layer-in-portal-data.md): usings, namespaces and qualified names.

Run from the repository root after Portal.Data exists: python3 scripts/rewrite-data-namespaces.py [paths...]
(default: every *.cs, *.razor and *.cshtml under the current directory, bin/ and obj/ skipped). Idempotent: a second
run changes nothing. It only edits using lines, namespace names and qualified type names; a branch that adds files using
the old namespaces can run it again after merging.
"""
import os
import re
import sys

# Namespaces that moved whole: every type in them now lives in the new namespace.
RENAMES = [
    ("Portal.Domain.Data", "Portal.Data"),
    ("Portal.Domain.Entities", "Portal.Data.Entities"),
    ("Portal.Domain.Identity", "Portal.Data.Identity"),
    ("Portal.Domain.Text", "Portal.Data.Text"),
    ("Portal.Domain.Billing", "Portal.Data.Entities"),
]

# Namespaces that stay in Portal.Domain but lost some types.
PARTIAL = [
    ("Portal.Domain.Data", "Portal.Domain.Seeding", ["DemoSeeder"]),
    ("Portal.Domain.Courses", "Portal.Domain.Seeding", ["CourseSeeder"]),
    ("Portal.Domain.Tenancy", "Portal.Data.Tenancy", ["ITenantContext", "TenantContext", "ITenantOwned", "IGlobalEntity", "IAudited"]),
    ("Portal.Domain.Agencies", "Portal.Data.Entities", ["Agency", "AgencyMember", "AgencyDomain", "AgencyClientPlan", "AgencyStatus",
                                                       "AgencyRole", "DomainStatus", "AgencyOverageEvent", "ResellerTier"]),
    ("Portal.Domain.Brain.Pii", "Portal.Data.Entities", ["PiiCategory"]),
    ("Portal.Domain.Affiliates", "Portal.Data.Entities", ["SelfReferral"]),
]

TYPE_DECL = re.compile(r"^\s*(?:public|internal)\s+(?:(?:static|sealed|abstract|partial|readonly)\s+)*(?:class|record|enum|interface|struct)\s+(\w+)", re.M)


def data_types():
    """Type names declared in Portal.Data, by namespace (migrations skipped)."""
    found = {}
    for root, dirs, files in os.walk("Portal.Data"):
        dirs[:] = [d for d in dirs if d not in ("bin", "obj", "Migrations")]
        for name in files:
            if name.endswith(".cs"):
                text = open(os.path.join(root, name), encoding="utf-8").read()
                ns = re.search(r"^namespace ([\w.]+);", text, re.M)
                if ns:
                    # A first run reads the moved files before their namespace lines are rewritten.
                    declared = dict(RENAMES).get(ns.group(1), ns.group(1))
                    found.setdefault(declared, set()).update(TYPE_DECL.findall(text))
    return found


def prefixes(ns):
    """'Portal.Domain.Brain.Pii' -> the ways code may qualify it: full name first, then shorter suffixes."""
    parts = ns.split(".")
    return [".".join(parts[i:]) for i in range(len(parts))]


def qualify(text, old_ns, new_ns, names):
    """Old.Ns.Type (or a partially qualified Ns.Type) -> New.Ns.Type for the moved names."""
    alternatives = "|".join(re.escape(p) for p in prefixes(old_ns))
    pattern = re.compile(r"(?<![\w.])(?:global::)?(?:%s)\.(%s)\b" % (alternatives, "|".join(sorted(names, key=len, reverse=True))))
    return pattern.sub(lambda m: new_ns + "." + m.group(1), text)


def ensure_using(text, ns, razor):
    line = ("@using %s" % ns) if razor else ("using %s;" % ns)
    if re.search(r"^%s\s*$" % re.escape(line), text, re.M):
        return text
    lines = text.split("\n")
    using_re = re.compile(r"^@using [\w.]+\s*$" if razor else r"^using [\w.]+;\s*$")
    usings = [i for i, l in enumerate(lines) if using_re.match(l)]
    if not razor:
        ns_line = next((i for i, l in enumerate(lines) if l.startswith("namespace ")), len(lines))
        usings = [i for i in usings if i < ns_line]
    if usings:
        after = [i for i in usings if lines[i].split()[1].startswith("Portal.") and lines[i].rstrip(";").split()[1] > ns]
        at = after[0] if after else usings[-1] + 1
        lines.insert(at, line)
    else:
        lines[0:0] = [line] if razor else [line, ""]
    return "\n".join(lines)


def tidy_usings(text):
    """Drops duplicate using lines and sorts each run of consecutive 'using Portal.*' lines."""
    lines, seen, out = text.split("\n"), set(), []
    for l in lines:
        key = l.strip()
        if re.match(r"^@?using [\w.]+;?$", key):
            if key in seen:
                continue
            seen.add(key)
        out.append(l)
    result, run = [], []
    for l in out + [None]:
        if l is not None and re.match(r"^@?using Portal\.[\w.]+;?\s*$", l):
            run.append(l)
            continue
        result.extend(sorted(run, key=lambda x: x.strip().rstrip(";")))
        run = []
        if l is not None:
            result.append(l)
    return "\n".join(result)


def folder_razor(imports_path):
    """The Razor markup an _Imports.razor applies to: every .razor file in its folder and below."""
    texts = []
    for root, dirs, files in os.walk(os.path.dirname(imports_path) or "."):
        dirs[:] = [d for d in dirs if d not in ("bin", "obj")]
        texts += [open(os.path.join(root, f), encoding="utf-8").read() for f in files if f.endswith(".razor") and f != "_Imports.razor"]
    return "\n".join(texts)


def rewrite(path, types):
    razor = path.endswith((".razor", ".cshtml"))
    text = original = open(path, encoding="utf-8").read()
    declared = re.search(r"^namespace ([\w.]+)", text, re.M)
    declared = declared.group(1) if declared else ""
    imports = path.endswith("_Imports.razor")
    for old_ns, new_ns, names in PARTIAL:
        text = qualify(text, old_ns, new_ns, names)
        has_using = re.search(r"^@?using %s;?\s*$" % re.escape(old_ns), text, re.M) is not None
        inside = declared == old_ns or declared.startswith(old_ns + ".")
        uses = re.search(r"\b(%s)\b" % "|".join(names), folder_razor(path) if imports else text) is not None
        if (has_using or inside) and uses:
            text = ensure_using(text, new_ns, razor)
    for old_ns, new_ns in RENAMES:
        text = re.sub(r"(?<![\w.])(?:global::)?%s\b" % re.escape(old_ns), lambda m: m.group(0).replace(old_ns, new_ns), text)
        names = types.get(new_ns, set())
        if names:
            text = qualify(text, old_ns, new_ns, names)
    if path.replace(os.sep, "/").lstrip("./").startswith("Portal.Data/"):
        # Portal.Data references no other Portal project: a using left from a namespace that stays in Portal.Domain goes.
        text = re.sub(r"^using Portal\.Domain[\w.]*;\n", "", text, flags=re.M)
    if text != original:
        text = tidy_usings(text)
    if text != original:
        open(path, "w", encoding="utf-8").write(text)
        return True
    return False


def main():
    types = data_types()
    roots = sys.argv[1:] or ["."]
    changed = 0
    for root_dir in roots:
        walk = [(os.path.dirname(root_dir), [], [os.path.basename(root_dir)])] if os.path.isfile(root_dir) else os.walk(root_dir)
        for root, dirs, files in walk:
            dirs[:] = [d for d in dirs if d not in ("bin", "obj", ".git", "node_modules")]
            for name in files:
                if name.endswith((".cs", ".razor", ".cshtml")):
                    changed += rewrite(os.path.join(root, name), types)
    print("rewrote %d files" % changed)


if __name__ == "__main__":
    main()
