// `gigya-socialize-contract/lite`: the client for apps that only make calls (a browser app sending a
// UIDSig made on its server, a server sending its secret over HTTPS). No request signing and no login URL,
// so that neither costs such an app a byte; the same checks and errors as the full client otherwise.
import { createSocializeCalls, type SocializeCalls, type SocializeClientOptions } from './client-core.js';

export { GigyaError, GigyaTransportError, InvalidParameterError } from './errors.js';
export type { ErrorCode, GigyaErrorBody, TransportFailure } from './errors.js';
export type {
  CallOptions,
  SocializeAnswer,
  SocializeCalls,
  SocializeClientOptions,
  SocializeCredentials,
  SocializeMethod,
  SocializeParams,
  SocializeSuccess,
} from './client-core.js';

/** Creates a client for the three calls; `credentials.sign` is refused (use the package's main entry to sign). */
export const createSocializeClient = (options: SocializeClientOptions): SocializeCalls => createSocializeCalls(options, undefined);
