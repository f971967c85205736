// Types for a page that uses Gigya's Web SDK (`gigya.js`, or the mock's stand-in at /js/gigya.js): the
// global `gigya` built from the contract's Web SDK schemas (generated/schema.ts), with each method's
// callback typed by that method's response. Types only; importing this module adds `window.gigya`.
import type { components } from '../generated/schema.js';

type Schemas = components['schemas'];

// Omit over each member of a union, so that login's popup and redirect cases stay apart.
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** `params` of a Web SDK method: the contract's schema, with `callback` typed by the method's response. */
export type WebSdkParams<Schema, Response> = DistributiveOmit<Schema, 'callback' | 'context'> & {
  /** Any value of the page's; the response hands it back unchanged. */
  context?: unknown;
  /** Called once with the response object when the call completes, successfully or not. */
  callback?: (response: Response) => void;
};

/** What `callback` receives from `setUID` and `notifyRegistration`. */
export type WebSdkResponse = Schemas['WebSdkResponse'];
/** What `callback` receives from `login`. */
export type WebSdkLoginResponse = Schemas['WebSdkLoginResponse'];
/** What `callback` receives from `notifyLogin`. */
export type WebSdkNotifyLoginResponse = Schemas['WebSdkNotifyLoginResponse'];
/** What an `onLogin` handler receives. */
export type WebSdkLoginEvent = Schemas['WebSdkLoginEvent'];

/** `params` of `gigya.socialize.setUID`. */
export type SetUIDParams = WebSdkParams<Schemas['WebSdkSetUIDParams'], WebSdkResponse>;
/** `params` of `gigya.socialize.notifyRegistration`. */
export type NotifyRegistrationParams = WebSdkParams<Schemas['WebSdkNotifyRegistrationParams'], WebSdkResponse>;
/** `params` of `gigya.socialize.notifyLogin`. */
export type NotifyLoginParams = WebSdkParams<Schemas['WebSdkNotifyLoginParams'], WebSdkNotifyLoginResponse>;
/**
 * A provider name: one of the contract's (`LoginProviderName`), or a site-defined SAML or OIDC provider.
 * JSON Schema says the latter with a pattern, which the generated types can only call `string`; the
 * template literal says the same as `LoginProviderCustom`'s pattern (test/contract/web-sdk.test.ts holds
 * the two together).
 */
export type LoginProvider = Schemas['LoginProviderName'] | `saml-${string}` | `oidc-${string}`;

/** With `authFlow: 'redirect'`, `redirectURL` is required. */
export type LoginParams = DistributiveOmit<WebSdkParams<Schemas['WebSdkLoginParams'], WebSdkLoginResponse>, 'provider'> & {
  /** The network to log in with: a name Gigya knows, or `saml-<name>` / `oidc-<name>` for one defined for the site. */
  provider: LoginProvider;
};

/** Handlers for `gigya.socialize.addEventHandlers`. */
export interface WebSdkEventHandlers {
  /** Fired when a user logs in: after a popup `login`, and after `notifyLogin` (provider `site`) before its callback. */
  onLogin?: (event: WebSdkLoginEvent) => void;
}

/** `gigya.socialize`: the four methods of the contract, and the event registration. */
export interface GigyaSocialize {
  setUID(params: SetUIDParams): void;
  notifyRegistration(params?: NotifyRegistrationParams): void;
  notifyLogin(params: NotifyLoginParams): void;
  login(params: LoginParams): void;
  addEventHandlers(handlers: WebSdkEventHandlers): void;
}

/** The page's global `gigya`, as the Web SDK (or the mock's stand-in) defines it. */
export interface Gigya {
  socialize: GigyaSocialize;
}

declare global {
  interface Window {
    /** Defined once gigya.js has loaded. */
    gigya?: Gigya;
    /** Called by gigya.js once it has loaded and `gigya` is ready. */
    onGigyaServiceReady?: (serviceName?: string) => void;
  }
}
