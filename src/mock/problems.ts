// From validation problems (the mock's own or Prism's) to the one Gigya error to answer: the first missing
// parameter in the contract's order, else the first wrong value, with errorDetails naming it.
import { FORM, type OperationInfo } from './contract.js';
import type { ErrorSpec } from './envelope.js';
import type { Problem } from './validation.js';

export const COMBINATOR_KEYWORDS = new Set([
  'required',
  'dependentRequired',
  'oneOf',
  'anyOf',
  'not',
  'if',
  'then',
  'else',
  'bodyRequired',
  'contentType',
]);

// Prism reports query parameter names in lower case; name them as the contract spells them.
function spelledAsContract(operation: OperationInfo | undefined, found: Problem[]): Problem[] {
  const order = operation ? [...operation.knownParams] : [];
  const lower = new Map(order.map((name) => [name.toLowerCase(), name]));
  const spelled = (name: string | undefined) => (name === undefined ? undefined : (lower.get(name.toLowerCase()) ?? name));
  return found.map((p) => {
    const path = p.path.length > 0 ? [spelled(p.path[0])!, ...p.path.slice(1)] : p.path;
    const missing = spelled(p.missing);
    return missing === undefined ? { ...p, path } : { ...p, path, missing };
  });
}

// socialize.login's own codes for its redirect_uri and response_type.
function loginError(problems: Problem[]): ErrorSpec | undefined {
  const redirect = problems.find((p) => p.path[0] === 'redirect_uri' || p.missing === 'redirect_uri');
  if (redirect) {
    return {
      errorCode: 400011,
      errorDetails: redirect.missing
        ? 'redirect_uri: missing; give the absolute http(s) URL to send the browser back to'
        : `redirect_uri: ${redirect.message} (an absolute http(s) URL)`,
    };
  }
  if (problems.some((p) => p.path[0] === 'response_type' && p.keyword !== 'required')) {
    return { errorCode: 400012, errorDetails: 'response_type: must be token or code' };
  }
  return undefined;
}

/** Chooses the one error to answer for a list of validation problems. */
export function errorOfProblems(operation: OperationInfo | undefined, found: Problem[]): ErrorSpec {
  const order = operation ? [...operation.knownParams] : [];
  const problems = spelledAsContract(operation, found);
  const rank = (name: string | undefined) => {
    const i = name === undefined ? -1 : order.indexOf(name);
    return i === -1 ? order.length : i;
  };
  const byParam = (a: Problem, b: Problem) => rank(a.missing ?? a.path[0]) - rank(b.missing ?? b.path[0]);
  if (problems.some((p) => p.keyword === 'contentType')) {
    return { errorCode: 400001, errorDetails: `Content-Type: ${operation?.operationId ?? 'this method'} takes an ${FORM} body` };
  }
  const login = operation?.operationId === 'socialize.login' ? loginError(problems) : undefined;
  if (login) return login;
  const alternatives = new Set(operation?.alternatives ?? []);
  const missing = problems.filter((p) => (p.keyword === 'required' || p.keyword === 'dependentRequired') && p.missing !== undefined);
  const plain = missing.filter((p) => p.keyword === 'dependentRequired' || !alternatives.has(p.missing!)).sort(byParam);
  if (plain.length > 0) return { errorCode: 400002, errorDetails: `Missing required parameter: ${plain[0]!.missing}` };
  const values = problems.filter((p) => !COMBINATOR_KEYWORDS.has(p.keyword)).sort(byParam);
  if (values.length > 0) {
    const first = values[0]!;
    return { errorCode: 400006, errorDetails: `${first.path.join('.') || 'request'}: ${first.message}` };
  }
  if (missing.length > 0) {
    return { errorCode: 400002, errorDetails: `Missing required parameter: ${[...alternatives].join(' or ')}` };
  }
  const first = problems[0];
  return { errorCode: 400006, errorDetails: first ? `${first.path.join('.') || 'request'}: ${first.message}` : 'request: not valid' };
}
