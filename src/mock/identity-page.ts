// The page `socialize.login` sends the browser to with `mock_identity=choose`: a person picks one of the
// network's test identities this site has seen, or names a new one, and continues to the login, which then
// runs with `mock_identity=<name>`. Plain HTML form controls (radio buttons in a fieldset with a legend,
// a labelled text field, a submit button), so it works from the keyboard and with a screen reader, and
// without script: the form comes back here, and the choice is turned into the login's redirect.

export const IDENTITY_PAGE = '/__mock/chooseIdentity';
/** Identities listed on the page at most (the newest are not hidden: a new name always works). */
const LISTED = 50;
const NAME = '^[A-Za-z0-9_.\\-]{1,64}$';
const NAME_PATTERN = new RegExp(NAME);

export interface Page {
  kind: 'html';
  html: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function choices(names: string[]): string {
  const unique = [...new Set(['default', ...names])].slice(0, LISTED);
  return unique
    .map((name, i) => {
      const id = `identity-${i}`;
      return `<div><input type="radio" name="mock_identity" id="${id}" value="${escapeHtml(name)}"${i === 0 ? ' checked' : ''}><label for="${id}">${escapeHtml(name)}</label></div>`;
    })
    .join('\n');
}

/** The page for `provider`, carrying the login's other parameters on as hidden fields. */
export function identityPage(provider: string, names: string[], query: Map<string, string>): Page {
  const hidden = [...query]
    .filter(([key]) => key !== 'mock_identity')
    .map(([key, value]) => `<input type="hidden" name="${escapeHtml(key)}" value="${escapeHtml(value)}">`)
    .join('\n');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Choose a test identity: ${escapeHtml(provider)} (socialize mock)</title>
<style>body{font:1rem/1.5 system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem}fieldset{margin:1rem 0}input:focus,button:focus{outline:3px solid #1a5fb4;outline-offset:2px}</style>
</head>
<body>
<main>
<h1>Log in to ${escapeHtml(provider)} as a test identity</h1>
<p>This page belongs to the socialize mock, not to ${escapeHtml(provider)}. The same name always logs in as the same identity.</p>
<form method="get" action="${IDENTITY_PAGE}">
${hidden}
<fieldset>
<legend>Test identities of ${escapeHtml(provider)}</legend>
${choices(names)}
<div><input type="radio" name="mock_identity" id="identity-new" value=""><label for="identity-new">A new identity, named below</label></div>
</fieldset>
<p><label for="new-name">Name of a new identity (letters, digits, <code>. _ -</code>; up to 64)</label><br>
<input type="text" id="new-name" name="mock_identity_new" pattern="${NAME}" maxlength="64" autocomplete="off" aria-describedby="new-help">
<span id="new-help">Used when “A new identity” is chosen.</span></p>
<input type="hidden" name="mock_continue" value="1">
<button type="submit">Continue</button>
</form>
</main>
</body>
</html>
`;
  return { kind: 'html', html };
}

/**
 * The submitted page: the login URL to continue with (its parameters, `mock_identity` set to the choice),
 * or the error naming the field.
 */
export function chosenLogin(query: Map<string, string>): { location: string } | { error: string } {
  const picked = query.get('mock_identity') ?? '';
  const name = picked === '' ? (query.get('mock_identity_new') ?? '') : picked;
  if (!NAME_PATTERN.test(name) || name === 'choose') {
    return { error: `${picked === '' ? 'mock_identity_new' : 'mock_identity'}: a name of 1 to 64 letters, digits, ".", "_" or "-" (not "choose")` };
  }
  const params = new URLSearchParams([...query].filter(([key]) => !key.startsWith('mock_')));
  params.set('mock_identity', name);
  return { location: `/socialize.login?${params}` };
}
