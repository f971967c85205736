import {
  createSocializeClient,
  parseLoginRedirect,
} from 'gigya-socialize-contract';

// The mock (npm start) and its test site. In production: your data
// center (dataCenter: 'eu1') instead of baseUrl, your API key and secret.
const secret = 'c29jaWFsaXplLW1vY2sgcGFydG5lciBzZWNyZXQgKHRlc3Qgb25seSk=';
const client = createSocializeClient({
  baseUrl: 'http://127.0.0.1:4010',
  apiKey: '3_socializeMockTestSite',
});

// 1. Send the user's browser to this URL (a 302 from your server);
//    keep `state` in the user's session.
export const state = crypto.randomUUID();
export const loginUrl = client.loginUrl({
  x_provider: 'facebook',
  redirect_uri: 'https://www.example.com/login/done',
  response_type: 'token',
  state,
});

// 2. At redirect_uri, with the URL the browser arrived at: trust the
//    UID only once this resolves (it checks state and UIDSignature).
export async function onLoginRedirect(arrivedAt: string) {
  const result = await parseLoginRedirect(arrivedAt, { secret, state });
  return result.UID;
}
