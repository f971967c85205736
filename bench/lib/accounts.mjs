// Accounts as a busy test site holds them, for the benchmarks: a linked siteUID, one social identity with
// its session, a small profile. The same records feed the 100,000-account mock and the state figures.
export function benchAccounts(n) {
  const now = new Date().toISOString();
  return Array.from({ length: n }, (_, i) => ({
    gigyaUID: benchGigyaUID(i),
    siteUID: `bench-user-${i}`,
    registration: 'final',
    isSiteUser: true,
    identities: [{ provider: 'facebook', providerUID: `fb${i}`, session: { authToken: `tok${i}` }, lastLoginTime: now }],
    profile: { nickname: `user${i}`, firstName: 'Bench', age: 30 },
    created: now,
    lastLogin: now,
  }));
}

/** The Gigya UID benchAccounts gives account `i`. */
export const benchGigyaUID = (i) => `_gid_bench${String(i).padStart(17, '0')}==`;
