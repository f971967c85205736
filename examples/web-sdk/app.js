// The example site's page script: plain browser JavaScript against the Web SDK's global `gigya`, the
// same code for Gigya's gigya.js and the mock's stand-in. The site's server (server.mjs) verifies every
// login and keeps its own accounts.
'use strict';

/** Everything the page saw, in order (the test reads it). */
window.exampleLog = [];

function record(kind, data) {
  window.exampleLog.push({ kind, data });
  const item = document.createElement('li');
  item.textContent = `${kind}: ${JSON.stringify(data)}`;
  document.getElementById('log').append(item);
}

async function postJson(path, body) {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return response.json();
}

// A login's result goes to the site's server, which verifies the signature before trusting the UID, and
// registers a new user (notifyRegistration with the site's own ID).
async function onLoginResult(response) {
  record('login', response);
  if (response.errorCode !== 0) return;
  const { UID, UIDSignature, signatureTimestamp, isNewUser } = response;
  record('session', await postJson('/api/session', { UID, UIDSignature, signatureTimestamp, isNewUser: isNewUser === true }));
}

window.onGigyaServiceReady = () => {
  gigya.socialize.addEventHandlers({ onLogin: (event) => record('onLogin', event) });
  for (const id of ['login-popup', 'login-redirect', 'site-login-button']) document.getElementById(id).disabled = false;
  document.getElementById('status').textContent = 'Ready.';
  record('ready', {});
};

document.getElementById('login-popup').addEventListener('click', () => {
  gigya.socialize.login({ provider: 'facebook', context: { from: 'popup-button' }, callback: onLoginResult });
});

document.getElementById('login-redirect').addEventListener('click', () => {
  gigya.socialize.login({ provider: 'twitter', authFlow: 'redirect', redirectURL: new URL('/login/done', location.href).href });
});

// The site's own login: the server signs the siteUID (the secret never reaches the page).
document.getElementById('site-login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const siteUID = document.getElementById('site-uid').value;
  const { UIDSig, UIDTimestamp } = await (await fetch(`/api/signature?siteUID=${encodeURIComponent(siteUID)}`)).json();
  gigya.socialize.notifyLogin({ siteUID, UIDSig, UIDTimestamp, context: 'site-form', callback: (response) => record('notifyLogin', response) });
});
