// Which hosts socialize.login may send the browser back to. Real Gigya refuses a redirect_uri outside the
// domains registered for the API key (400011); the mock's test site has none registered, so by default it
// sends the browser anywhere. With a trusted-domains list, it refuses the rest as Gigya does, so a team can
// test that refusal. Loopback hosts and `.localhost` names are always allowed: they are the developer's own
// machine, where a front end under test runs.
import { InvalidParameterError } from 'gigya-socialize-contract';
import type { ErrorSpec } from './envelope.js';

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Checks and normalises a trusted-domains list (host names, lower-cased; a name covers its subdomains). */
export function trustedDomainList(domains: unknown, parameter = 'trustedDomains'): string[] {
  if (!Array.isArray(domains) || domains.length === 0) throw new InvalidParameterError(parameter, 'must be a non-empty list of domain names.');
  return domains.map((domain) => {
    const name = typeof domain === 'string' ? domain.trim().toLowerCase().replace(/^\*\./, '').replace(/\.$/, '') : '';
    if (!DOMAIN.test(name))
      throw new InvalidParameterError(parameter, `${JSON.stringify(domain).slice(0, 80)} is not a domain name such as app.example.com.`);
    return name;
  });
}

/** The developer's own machine: localhost, *.localhost, 127.0.0.0/8, [::1]. */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host.endsWith('.localhost') || /^127(?:\.\d{1,3}){3}$/.test(host) || host === '[::1]';
}

/** Gigya's refusal of a redirect_uri outside the trusted domains, or undefined when it may be used. */
export function redirectRefusal(target: URL, trusted: readonly string[] | undefined): ErrorSpec | undefined {
  if (trusted === undefined || isLoopbackHost(target.hostname)) return undefined;
  const host = target.hostname.toLowerCase().replace(/\.$/, '');
  if (trusted.some((domain) => host === domain || host.endsWith(`.${domain}`))) return undefined;
  return {
    errorCode: 400011,
    errorDetails: `redirect_uri: ${host.slice(0, 100)} is not a trusted domain of this test site (trusted: ${trusted.join(', ')}, and loopback hosts)`,
  };
}
