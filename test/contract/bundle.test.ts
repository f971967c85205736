import { readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';

const bundled = parse(readFileSync(new URL('../../generated/openapi.yaml', import.meta.url), 'utf8'));

describe('bundled contract', () => {
  test("is OpenAPI 3.1 and names every operation after its path (the mock's controls: mock.<name> at /__mock/<name>)", () => {
    expect(bundled.openapi).toBe('3.1.0');
    for (const [path, item] of Object.entries<Record<string, { operationId?: string; tags?: string[] }>>(bundled.paths)) {
      for (const operation of Object.values(item)) {
        if (operation && typeof operation === 'object' && 'operationId' in operation) {
          const id = operation.operationId!;
          if (id.startsWith('mock.')) {
            expect(path).toBe(`/__mock/${id.slice('mock.'.length)}`);
            expect(operation.tags).toEqual(['Mock controls']);
          } else {
            expect(`/${id}`).toBe(path);
          }
        }
      }
    }
  });
});

describe('signature examples', () => {
  // The examples use the example site's secret (the bytes 00..0f); a reader who recomputes a signature shown
  // in the docs must get the same value, so every signed example is checked here with node:crypto.
  const exampleSecret = 'AAECAwQFBgcICQoLDA0ODw==';
  const hmac = (base: string) => createHmac('sha1', Buffer.from(exampleSecret, 'base64')).update(base, 'utf8').digest('base64');
  const examples = bundled.components.examples as Record<string, { value: Record<string, unknown> }>;
  const signed = Object.entries(examples).filter(([, example]) => typeof example.value?.UIDSignature === 'string');

  test('at least the two notifyLogin success examples carry a UIDSignature', () => {
    expect(signed.map(([name]) => name)).toEqual(expect.arrayContaining(['NotifyLoginBrowser', 'NotifyLoginMobile']));
  });

  test.each(signed)('%s: UIDSignature is the HMAC of <signatureTimestamp>_<UID> with the example secret', (_name, example) => {
    const { UID, UIDSignature, signatureTimestamp } = example.value;
    expect(UIDSignature).toBe(hmac(`${signatureTimestamp}_${UID}`));
  });
});
