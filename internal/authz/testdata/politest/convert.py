# One-off converter: politest YAML scenarios -> JSON cases (see SOURCE.md).
# Usage: python3 convert.py <politest-simulate-custom-policy dir> cases.json (needs PyYAML)
import yaml, json, glob, os, re, sys
ROOT = sys.argv[1]  # the politest-simulate-custom-policy data folder
IAM_TOP = {'Version', 'Id', 'Statement'}
IAM_STMT = {'Sid','Effect','Principal','NotPrincipal','Action','NotAction','Resource','NotResource','Condition'}

def render(s, vars):
    # politest substitutes {{.var}}, ${VAR} and <VAR> from its variables;
    # names it does not define (e.g. ${aws:username}) are left alone.
    s = re.sub(r'\{\{\s*\.(\w+)\s*\}\}', lambda m: str(vars.get(m.group(1), m.group(0))), s)
    s = re.sub(r'\$\{(\w+)\}', lambda m: str(vars.get(m.group(1), m.group(0))), s)
    s = re.sub(r'<(\w+)>', lambda m: str(vars.get(m.group(1), m.group(0))), s)
    return s

def load_scenario(path):
    with open(path) as f:
        sc = yaml.safe_load(f)
    if 'extends' in sc:
        base = load_scenario(os.path.join(os.path.dirname(path), sc['extends']))
        base_dir = base.pop('_dir')
        merged = dict(base)
        for k, v in sc.items():
            if k == 'extends':
                continue
            if k == 'vars':
                mv = dict(base.get('vars', {})); mv.update(v); merged['vars'] = mv
            else:
                merged[k] = v
        # paths of the base stay relative to the base's directory (same dir here)
        merged['_dir'] = os.path.dirname(path)
        return merged
    sc['_dir'] = os.path.dirname(path)
    return sc

def strip(doc):
    d = {k: v for k, v in doc.items() if k in IAM_TOP}
    st = d.get('Statement')
    if isinstance(st, dict):
        d['Statement'] = {k: v for k, v in st.items() if k in IAM_STMT}
    elif isinstance(st, list):
        d['Statement'] = [{k: v for k, v in s.items() if k in IAM_STMT} for s in st]
    return d

def policy_text(path, vars):
    with open(path) as f:
        txt = render(f.read(), vars)
    return json.dumps(strip(json.loads(txt)), indent=2)

cases = []
files = sorted(glob.glob(ROOT + '/test/scenarios/*.yml')) + sorted(glob.glob(ROOT + '/examples/*/scenario.yml'))
for path in files:
    name = os.path.relpath(path, ROOT)
    if os.path.basename(path).startswith('fail-'):
        continue  # deliberately wrong expectations (see SOURCE.md)
    sc = load_scenario(path)
    d = sc['_dir']
    vars = {}
    if 'vars_file' in sc:
        with open(os.path.join(d, sc['vars_file'])) as f:
            vars.update(yaml.safe_load(f))
    vars.update(sc.get('vars', {}))
    def pol(key_json, key_tpl, src):
        if key_json in src:
            return policy_text(os.path.join(d, render(src[key_json], vars)), vars)
        if key_tpl in src:
            return policy_text(os.path.join(d, render(src[key_tpl], vars)), vars)
        return None
    identity = pol('policy_json', 'policy_template', sc)
    scps = []
    for p in sc.get('scp_paths', []):
        for fp in sorted(glob.glob(os.path.join(d, render(p, vars)))):
            scps.append(policy_text(fp, vars))
    base_ctx = sc.get('context', [])
    for i, t in enumerate(sc.get('tests', [])):
        res_pol = pol('resource_policy_json', 'resource_policy_template', t) or pol('resource_policy_json', 'resource_policy_template', sc)
        ctx = {c['ContextKeyName'].lower(): c for c in base_ctx}
        for c in t.get('context', []):
            ctx[c['ContextKeyName'].lower()] = c
        ctx_list = [{'key': render(c['ContextKeyName'], vars), 'type': c.get('ContextKeyType', 'string'),
                     'values': [render(str(v), vars) for v in c['ContextKeyValues']]} for c in ctx.values()]
        actions = t.get('actions') or [t['action']]
        resources = t.get('resources') or [t.get('resource', '*')]
        for a in actions:
            for r in resources:
                cases.append({
                    'source': name, 'test': t.get('name', '%s on %s' % (a, r)),
                    'identity': identity, 'resource_policy': res_pol, 'scps': scps,
                    'caller_arn': render(t.get('caller_arn', sc.get('caller_arn', '')), vars),
                    'resource_owner': render(t.get('resource_owner', sc.get('resource_owner', '')), vars),
                    'action': render(a, vars), 'resource': render(r, vars),
                    'context': ctx_list, 'expect': t['expect'],
                })
pols = {}
def pid(txt):
    if txt is None:
        return None
    for k, v in pols.items():
        if v == txt:
            return k
    k = 'p%d' % (len(pols) + 1)
    pols[k] = txt
    return k
for c in cases:
    c['identity'] = pid(c['identity'])
    c['resource_policy'] = pid(c['resource_policy'])
    c['scps'] = [pid(x) for x in c['scps']]
json.dump({'description': 'politest scenarios converted to JSON; see SOURCE.md', 'policies': pols, 'cases': cases},
          open(sys.argv[2], 'w'), indent=1)
print(len(cases), 'cases')
