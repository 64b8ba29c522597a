#!/usr/bin/env python3
"""Import graph between sim-core modules and its cycles: prints two-way imports and strongly
connected groups (both should be "none"). A node is a mechanism folder (mechanisms/<x>, with its
state.rs and params.rs as nodes of their own), a kernel or params file, or a top-level file of
sim-core/src; test modules are left out. Usage: scripts/import-cycles.py [sim-core/src]"""
import os, re, sys, itertools
root = sys.argv[1] if len(sys.argv) > 1 else 'sim-core/src'
mechs = sorted(d for d in os.listdir(f'{root}/mechanisms') if os.path.isdir(f'{root}/mechanisms/{d}'))
def node_of(path):
    rel = os.path.relpath(path, root)
    parts = rel.split('/')
    if parts[0] == 'mechanisms' and len(parts) > 2:
        if parts[2] in ('state.rs', 'params.rs'):
            return 'mechanisms::' + parts[1] + '::' + parts[2][:-3]
        return 'mechanisms::' + parts[1]
    if parts[0] == 'params' and len(parts) > 1 and parts[1] != 'mod.rs':
        return 'params::' + parts[1].removesuffix('.rs')
    if parts[0] == 'kernel':
        return 'kernel::' + parts[1].removesuffix('.rs')
    if parts[0] == 'mechanisms':
        return 'mechanisms'
    return parts[0].removesuffix('.rs')
edges = {}
for dp, _, fs in os.walk(root):
    for f in fs:
        if not f.endswith('.rs') or f == 'tests.rs':
            continue
        p = os.path.join(dp, f)
        src = open(p).read()
        # drop test modules (tests may reach anywhere)
        src = re.split(r'#\[cfg\(test\)\]\s*(?:pub\(crate\) )?mod \w+', src)[0]
        src = re.sub(r'//[^\n]*', '', src)
        me = node_of(p)
        rel = os.path.relpath(p, root).split('/')
        deps = set()
        for m in re.finditer(r'crate::mechanisms::(\w+)(::state|::params)?', src):
            deps.add('mechanisms::' + m.group(1) + (m.group(2) or ''))
        for m in re.finditer(r'crate::kernel::(\w+)', src):
            deps.add('kernel::' + m.group(1))
        for m in re.finditer(r'crate::params::(error|spec|world|rules)\b', src):
            deps.add('params::' + m.group(1))
        for m in re.finditer(r'crate::(\w+)(::(?:error|spec|world|rules)\b)?', src):
            if m.group(1) == 'params' and m.group(2):
                continue
            if m.group(1) not in ('mechanisms', 'kernel'):
                deps.add(m.group(1))
        if rel[0] == 'mechanisms' and len(rel) > 2:
            depth = len(rel) - 2  # mechanisms/x/mod.rs -> super = mechanisms; x/init.rs -> super::super
            sup = 'super::' if rel[-1] == 'mod.rs' else 'super::super::'
            for m in re.finditer(re.escape(sup) + r'(\w+)(::state|::params)?', src):
                deps.add('mechanisms::' + m.group(1) + (m.group(2) or ''))
            if sup == 'super::super::':
                for m in re.finditer(r'(?<!super::)super::(state::|params::|\{)', src):
                    if m.group(1) in ('state::', 'params::'):
                        deps.add('mechanisms::' + rel[1] + '::' + m.group(1)[:-2])
            if sup == 'super::':
                for m in re.finditer(r'use super::\{([^}]*)\}', src):
                    for name in re.findall(r'\b(\w+)\b', m.group(1)):
                        if name in mechs:
                            deps.add('mechanisms::' + name)
        deps = {d for d in deps if not d.startswith('mechanisms::') or d[len('mechanisms::'):].split('::')[0] in mechs}
        deps.discard(me)
        edges.setdefault(me, set()).update(deps)
# find cycles: strongly connected components (Tarjan)
index = {}; low = {}; stack = []; on = set(); sccs = []; i = [0]
def strong(v):
    index[v] = low[v] = i[0]; i[0] += 1; stack.append(v); on.add(v)
    for w in edges.get(v, ()):
        if w not in index:
            strong(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        c = []
        while True:
            w = stack.pop(); on.discard(w); c.append(w)
            if w == v: break
        if len(c) > 1: sccs.append(sorted(c))
sys.setrecursionlimit(10000)
for v in sorted(edges):
    if v not in index: strong(v)
ignore = {'mechanisms'}  # the parent module declares its children
pairs = []
for a in sorted(edges):
    for b in sorted(edges[a]):
        if a < b and a in edges.get(b, ()) and not (ignore & {a, b}):
            pairs.append((a, b))
print('two-way imports:', pairs if pairs else 'none')
print('cycles (strongly connected groups, excluding the `mechanisms` parent):')
found = False
for c in sccs:
    c2 = [x for x in c if x not in ignore]
    if len(c2) > 1:
        found = True
        print('  ', ' <-> '.join(c2))
if not found: print('   none')
sys.exit(1 if found or pairs else 0)
