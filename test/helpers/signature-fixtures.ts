// Fixtures the signature tests share: the two HMAC backends every test runs on, and the published
// gigya-java-sdk SigUtilsTest vector (OAuth 1 base string and signature; reference §6.7).
import * as webCrypto from '../../src/index.js';
import * as nodeCrypto from '../../src/index.node.js';

/** The package's two entries: Web Crypto ("default") and node:crypto ("node"). */
export const signatureBackends = [
  ['Web Crypto', webCrypto],
  ['node:crypto', nodeCrypto],
] as const;

/** gigya-java-sdk SigUtilsTest: a signed POST and the sig the SDK computes for it. */
export const javaSdkVector = {
  secret: 'dGVzdC1jb25zdW1lci1zZWNyZXQmdGVzdC10b2tlbi1zZWNyZXQ=',
  url: 'http://photos.example.net/photos',
  params: {
    oauth_consumer_key: 'test-consumer-secret',
    oauth_token: 'test-token-secret',
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: '1191242096',
    oauth_nonce: 'kllo9940pd9333jh',
    oauth_version: '1.0',
    file: 'vacation.jpg',
    size: 'original',
  },
  sig: 'j4/Jwtp11HLWl7KG3QlsczfRRpU=',
} as const;
