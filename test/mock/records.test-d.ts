// Type tests: the mock's account records (src/mock/records.ts, public from the mock package) are the
// contract's MockAccount and MockIdentity schemas. The mock package cannot import the contract's generated
// types (they are not part of the contract package's exports), so the records are written out there and
// held to the generated types here: a member added, removed or retyped in the contract fails this file.
import { describe, expectTypeOf, test } from 'vitest';
import type { components } from '../../generated/schema.js';
import type { AccountRecord, IdentityRecord } from '../../src/mock/index.js';

// The generated UID is readonly (the server reports it); a record the mock builds writes it.
type Writable<T> = { -readonly [K in keyof T]: T[K] };
type MockAccount = Writable<components['schemas']['MockAccount']>;
type MockIdentity = components['schemas']['MockIdentity'];

describe('account records are the contract schemas', () => {
  test('IdentityRecord is MockIdentity', () => {
    expectTypeOf<IdentityRecord>().toEqualTypeOf<MockIdentity>();
  });
  test('AccountRecord is MockAccount, its identities MockIdentity', () => {
    expectTypeOf<Omit<AccountRecord, 'identities'>>().toEqualTypeOf<Omit<MockAccount, 'identities'>>();
    expectTypeOf<NonNullable<AccountRecord['identities']>[number]>().toEqualTypeOf<MockIdentity>();
  });
});
