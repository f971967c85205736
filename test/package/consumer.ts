// A consumer of both packages that touches every public export, values and types: the package test
// compiles it against the installed tarballs with skipLibCheck off (test/package/pack.test.ts), and holds
// it to the packages' export lists, so a new export must be added here. In the repository it is
// typechecked against the sources (tsconfig.json's paths).
import {
  assertSecret,
  assertSiteUID,
  buildBaseString,
  createSocializeClient,
  createUIDSignature,
  decimalString,
  DEFAULT_MAX_AGE_SECONDS,
  encodeRfc3986,
  formBody,
  formFields,
  formValue,
  GigyaError,
  GigyaTransportError,
  hmacSha1,
  InvalidParameterError,
  isLoopbackHost,
  LoginRedirectError,
  normalizeUrl,
  nowInSeconds,
  parseLoginRedirect,
  signRequest,
  timingSafeEqual,
  toUnixSeconds,
  validateFriendSignature,
  validateUIDSignature,
  verifyHmacSha1,
  type CallOptions,
  type ClientFilledParameter,
  type CreateUIDSignatureInput,
  type DataCenter,
  type ErrorCode,
  type FormValue,
  type FreshnessOptions,
  type GigyaErrorBody,
  type LoginRedirectFailure,
  type LoginRedirectInput,
  type LoginRedirectResult,
  type LoginUrlParams,
  type ParseLoginRedirectOptions,
  type Secret,
  type SignedRequestInput,
  type SignRequestInput,
  type SocializeAnswer,
  type SocializeCalls,
  type SocializeClient,
  type SocializeClientOptions,
  type SocializeCredentials,
  type SocializeMethod,
  type SocializeParams,
  type SocializeSuccess,
  type TransportFailure,
  type UIDSignature,
  type UnixSeconds,
  type ValidateFriendSignatureInput,
  type ValidateUIDSignatureInput,
} from 'gigya-socialize-contract';
import { createSocializeClient as createLiteClient } from 'gigya-socialize-contract/lite';
import {
  BODY_LIMIT_BYTES,
  createRequestLog,
  DEFAULT_API_KEY,
  DEFAULT_SECRET,
  DEFAULT_USER_KEY,
  DEFAULT_USER_SECRET,
  defaultContractPath,
  defaultDocsPath,
  SIGNED_REQUEST_WINDOW_SECONDS,
  startMockServer,
  StateFileError,
  UID_SIGNATURE_WINDOW_SECONDS,
  type AccountRecord,
  type IdentityRecord,
  type Limits,
  type MockServer,
  type MockServerOptions,
  type PathCounts,
  type RequestLog,
} from 'gigya-socialize-mock';

const secret: Secret = DEFAULT_SECRET;
const dataCenter: DataCenter = 'eu1';
const method: SocializeMethod = 'socialize.notifyLogin';
const filled: ClientFilledParameter = 'apiKey';
const failure: TransportFailure | LoginRedirectFailure = 'timeout';
const code: ErrorCode = 403003;
const field: FormValue = { firstName: 'Ann' };
const when: UnixSeconds = nowInSeconds();
const freshness: FreshnessOptions = { maxAgeSeconds: DEFAULT_MAX_AGE_SECONDS };
const callOptions: CallOptions = { timeout: 5_000 };
const credentials: SocializeCredentials = { secret };

export async function exercise(): Promise<void> {
  const identity: IdentityRecord = { provider: 'facebook', providerUID: 'fb-1', name: 'alice' };
  const accounts: AccountRecord[] = [{ gigyaUID: '_gid_consumer', siteUID: 'site-user-42', identities: [identity] }];
  const limits: Partial<Limits> = { accounts: 10 };
  const log: RequestLog = createRequestLog();
  const options: MockServerOptions = {
    port: 0,
    contract: defaultContractPath(),
    log,
    requestTimeout: 10_000,
    accounts,
    limits,
    userKey: DEFAULT_USER_KEY,
    userSecret: DEFAULT_USER_SECRET,
  };
  const docs = defaultDocsPath();
  if (docs !== undefined) options.docs = docs;
  const mock: MockServer = await startMockServer(options);
  const clientOptions: SocializeClientOptions = { apiKey: DEFAULT_API_KEY, baseUrl: mock.url, credentials, timeout: 10_000 };
  const client: SocializeClient = createSocializeClient(clientOptions);
  try {
    const params: SocializeParams<'socialize.notifyLogin'> = { siteUID: 'site-user-42' };
    const answer: SocializeAnswer<'socialize.notifyLogin'> | SocializeSuccess<'socialize.notifyLogin'> = await client.notifyLogin(
      params,
      callOptions,
    );
    if (answer.errorCode === 0 && isLoopbackHost(new URL(mock.url).hostname)) console.log(answer.UID, method, filled, dataCenter);
    const loginParams: LoginUrlParams = { x_provider: 'google', redirect_uri: `${mock.url}/done`, response_type: 'token' };
    const redirect: LoginRedirectInput = client.loginUrl(loginParams);
    const result: LoginRedirectResult = await parseLoginRedirect(redirect, { secret, ...freshness } satisfies ParseLoginRedirectOptions);
    const lite: SocializeCalls = createLiteClient(clientOptions);
    await lite.notifyLogin(params, callOptions);
    console.log(result.UID);
  } catch (error) {
    if (error instanceof GigyaError) console.error(error.errorCode === code, error.callId);
    else if (error instanceof GigyaTransportError) console.error(error.reason === failure);
    else if (error instanceof LoginRedirectError || error instanceof InvalidParameterError) console.error(error.message);
    else throw error;
  } finally {
    const counts: PathCounts = mock.counts;
    console.log(counts.fastPath, `${mock.url}/__mock/listAccounts`, new StateFileError('x') instanceof Error);
    await mock.close();
  }
  const body: GigyaErrorBody = { errorCode: code };
  console.log(body, BODY_LIMIT_BYTES, SIGNED_REQUEST_WINDOW_SECONDS, UID_SIGNATURE_WINDOW_SECONDS);
}

export async function signatures(): Promise<boolean> {
  assertSecret(secret);
  assertSiteUID('site-user-42');
  const input: CreateUIDSignatureInput = { secret, siteUID: 'site-user-42', timestamp: toUnixSeconds(when, 'timestamp') };
  const signed: UIDSignature = await createUIDSignature(input);
  const check: ValidateUIDSignatureInput = { secret, UID: 'site-user-42', UIDSignature: signed.UIDSig, signatureTimestamp: signed.UIDTimestamp };
  const friend: ValidateFriendSignatureInput = { secret, UID: 'a', friendUID: 'b', signature: signed.UIDSig, signatureTimestamp: when };
  const request: SignedRequestInput = {
    method: 'POST',
    url: normalizeUrl('https://socialize.us1.gigya.com/socialize.setUID'),
    params: { apiKey: DEFAULT_API_KEY },
  };
  const signing: SignRequestInput = { ...request, secret };
  const base = buildBaseString(request);
  const sig = await hmacSha1(secret, base);
  const same = (await verifyHmacSha1(secret, base, sig)) && sig === (await signRequest(signing));
  const encoded = encodeRfc3986('a b') + formBody({ field }) + formFields({ n: decimalString(1.5) }).length + formValue('n', 2);
  return same && timingSafeEqual(encoded, encoded) && (await validateUIDSignature(check)) && (await validateFriendSignature(friend));
}
