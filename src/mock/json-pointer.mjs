// JSON pointers (RFC 6901) and local `$ref`s in a parsed OpenAPI document: the one walker the mock
// (contract.ts), the generator (scripts/client-limits.mjs) and the tests use. Plain JavaScript, so that the
// scripts node runs directly can import it as the TypeScript does; its types are json-pointer.d.mts, and
// the build ships both beside the compiled mock (scripts/build.mjs).
// Only local references ("#/components/schemas/Cid") are followed: the bundled contract has no other kind.

const isContainer = (value) => value !== null && typeof value === 'object';

/** One key, escaped for a pointer: `~` as `~0`, `/` as `~1`. */
export function escapeKey(key) {
  return String(key).replaceAll('~', '~0').replaceAll('/', '~1');
}

/** The pointer (`/a/b~1c`) of a path of keys; put `#` before it for a `$ref`. */
export function pointerOf(...keys) {
  return keys.map((key) => `/${escapeKey(key)}`).join('');
}

/** The keys of a pointer, with or without the leading `#` (`#/a/b~1c` → `a`, `b/c`); `#` or `` is the whole document. */
function pointerKeys(pointer) {
  if (typeof pointer !== 'string') throw new TypeError(`json-pointer: a pointer must be a string, not ${typeof pointer}`);
  const path = pointer.startsWith('#') ? pointer.slice(1) : pointer;
  if (path === '') return [];
  if (!path.startsWith('/')) throw new Error(`json-pointer: only local pointers ("#/..." or "/...") are supported, not ${JSON.stringify(pointer)}`);
  return path
    .slice(1)
    .split('/')
    .map((key) => key.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** The value at `pointer` in `document`; an error names the pointer and the first key that is not there. */
export function resolvePointer(document, pointer) {
  let node = document;
  const keys = pointerKeys(pointer);
  for (const [depth, key] of keys.entries()) {
    const found = Array.isArray(node) ? /^(0|[1-9]\d*)$/.test(key) && Number(key) < node.length : isContainer(node) && Object.hasOwn(node, key);
    if (!found) {
      const parent = pointerOf(...keys.slice(0, depth)) || '(the document)';
      throw new Error(`json-pointer: ${pointer} does not resolve: ${parent} has no ${JSON.stringify(key)}`);
    }
    node = node[key];
  }
  return node;
}

/**
 * Follows the `$ref`s from the node at `pointer` to the first node that is not a reference: its pointer and
 * the node. A cycle is an error naming the references in it.
 */
export function refTarget(document, pointer) {
  const seen = [pointer];
  let node = resolvePointer(document, pointer);
  while (isContainer(node) && typeof node.$ref === 'string') {
    const ref = node.$ref;
    if (seen.includes(ref)) throw new Error(`json-pointer: circular $ref: ${[...seen, ref].join(' → ')}`);
    seen.push(ref);
    node = resolvePointer(document, ref);
  }
  return { pointer: seen.at(-1), node };
}

/**
 * `node` with its `$ref` chain followed: the target's members, with each reference's own members (a
 * `description`, `deprecated`) kept over them, as OpenAPI 3.1 allows. Nested references stay as they are.
 */
export function deref(document, node) {
  let current = node;
  const seen = [];
  while (isContainer(current) && typeof current.$ref === 'string') {
    const { $ref: ref, ...siblings } = current;
    if (seen.includes(ref)) throw new Error(`json-pointer: circular $ref: ${[...seen, ref].join(' → ')}`);
    seen.push(ref);
    const target = resolvePointer(document, ref);
    current = isContainer(target) && !Array.isArray(target) ? { ...target, ...siblings } : target;
  }
  return current;
}

/** A deep copy of `node` with every `$ref` replaced by (a copy of) its target, siblings kept; a cycle is an error. */
export function inlineRefs(document, node, seen = []) {
  if (Array.isArray(node)) return node.map((item) => inlineRefs(document, item, seen));
  if (!isContainer(node)) return node;
  if (typeof node.$ref === 'string') {
    const { $ref: ref, ...siblings } = node;
    if (seen.includes(ref)) throw new Error(`json-pointer: circular $ref: ${[...seen, ref].join(' → ')}`);
    const target = inlineRefs(document, resolvePointer(document, ref), [...seen, ref]);
    return isContainer(target) && !Array.isArray(target) ? { ...target, ...inlineRefs(document, siblings, seen) } : target;
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, inlineRefs(document, value, seen)]));
}
