import { createSocializeClient, GigyaError } from 'gigya-socialize-contract';

// The mock (npm start) and its test site. In production: your data
// center (dataCenter: 'eu1') instead of baseUrl, your API key and secret.
const secret = 'c29jaWFsaXplLW1vY2sgcGFydG5lciBzZWNyZXQgKHRlc3Qgb25seSk=';
const client = createSocializeClient({
  baseUrl: 'http://127.0.0.1:4010',
  apiKey: '3_socializeMockTestSite',
  credentials: { secret },
});

try {
  const answer = await client.notifyLogin({
    siteUID: 'site-user-42',
    userInfo: { firstName: 'David' },
  });
  // Sources disagree on whether the session is nested: accept both.
  const session = answer.sessionInfo ?? answer;
  console.log(`Set-Cookie: ${session.cookieName}=${session.cookieValue}`);
} catch (error) {
  if (error instanceof GigyaError) {
    console.error(error.errorCode, error.errorDetails, error.callId);
  }
  throw error;
}
