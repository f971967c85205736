import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';

const bundled = parse(readFileSync(new URL('../../generated/openapi.yaml', import.meta.url), 'utf8'));

describe('bundled contract', () => {
  test('is OpenAPI 3.1 and names every operation after its path', () => {
    expect(bundled.openapi).toBe('3.1.0');
    for (const [path, item] of Object.entries<Record<string, { operationId?: string }>>(bundled.paths)) {
      for (const operation of Object.values(item)) {
        if (operation && typeof operation === 'object' && 'operationId' in operation) {
          expect(`/${operation.operationId}`).toBe(path);
        }
      }
    }
  });
});
