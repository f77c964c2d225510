#!/usr/bin/env python3
# test-sync-openapi.py: docs/openapi.yaml is valid YAML, declares OpenAPI
# 3.0, documents every endpoint joren-server serves, and every $ref in it
# points at a component that exists (a stranger's generator would choke
# on a dangling one). Prints TAP.
import sys

import yaml

ENDPOINTS = {
    ('/health', 'get'), ('/pair', 'post'), ('/ops', 'post'),
    ('/changes', 'get'), ('/register', 'get'),
}


def refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == '$ref':
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def resolve(doc, ref):
    if not ref.startswith('#/'):
        return False
    node = doc
    for part in ref[2:].split('/'):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def validate_spec(doc):
    """The full OpenAPI 3.0 schema check, where the validator is installed."""
    try:
        from openapi_spec_validator import validate
    except ImportError:
        return ('openapi-spec-validator # SKIP not installed', True)
    try:
        validate(doc)
    except Exception as error:  # the validator's own error types vary by version
        return (f'openapi-spec-validator: {error}', False)
    return ('openapi-spec-validator accepts it', True)


def main():
    with open(sys.argv[1], encoding='utf-8') as f:
        doc = yaml.safe_load(f)
    checks = []
    checks.append(('openapi 3.0.x', str(doc.get('openapi', '')).startswith('3.0.')))
    checks.append(('servers end in /v1', all(s['url'].endswith('/v1') for s in doc.get('servers', []))))
    paths = doc.get('paths', {})
    for path, method in sorted(ENDPOINTS):
        op = paths.get(path, {}).get(method)
        checks.append((f'{method.upper()} {path} documented with responses',
                       isinstance(op, dict) and bool(op.get('responses'))))
    dangling = [r for r in refs(doc) if not resolve(doc, r)]
    checks.append((f'every $ref resolves {dangling}', not dangling))
    checks.append(validate_spec(doc))
    print(f'1..{len(checks)}')
    failed = 0
    for i, (name, ok) in enumerate(checks, 1):
        print(f"{'ok' if ok else 'not ok'} {i} {name}")
        failed += not ok
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
