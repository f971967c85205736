import { createSocializeClient } from 'gigya-socialize-contract';

// The mock (npm start) and its test site. In production: your data
// center (dataCenter: 'eu1') instead of baseUrl, your API key and secret.
const secret = 'c29jaWFsaXplLW1vY2sgcGFydG5lciBzZWNyZXQgKHRlc3Qgb25seSk=';
const client = createSocializeClient({
  baseUrl: 'http://127.0.0.1:4010',
  apiKey: '3_socializeMockTestSite',
  credentials: { secret },
});

// The user came back from a social login (UID verified) and has
// completed your registration form: file the user under your ID.
const answer = await client.notifyRegistration({
  UID: '_gid_Maxa3fCszqWc1A1D1HsoHg==',
  siteUID: 'site-user-42',
});
console.log(`socialize.notifyRegistration: done (callId ${answer.callId})`);
