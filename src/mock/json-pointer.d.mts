// Types for json-pointer.mjs (plain JavaScript, so that the scripts node runs directly share it).
/** One key, escaped for a pointer: `~` as `~0`, `/` as `~1`. */
export function escapeKey(key: string | number): string;
/** The pointer (`/a/b~1c`) of a path of keys; put `#` before it for a `$ref`. */
export function pointerOf(...keys: Array<string | number>): string;
/** The value at `pointer` in `document`; an error names the pointer and the first key that is not there. */
export function resolvePointer(document: unknown, pointer: string): unknown;
/** Follows the `$ref`s from the node at `pointer` to the first node that is not a reference: its pointer and the node. */
export function refTarget(document: unknown, pointer: string): { pointer: string; node: unknown };
/** `node` with its `$ref` chain followed, each reference's own members kept over its target's. */
export function deref<T = unknown>(document: unknown, node: unknown): T;
/** A deep copy of `node` with every `$ref` replaced by (a copy of) its target, siblings kept; a cycle is an error. */
export function inlineRefs<T = unknown>(document: unknown, node: unknown, seen?: string[]): T;
