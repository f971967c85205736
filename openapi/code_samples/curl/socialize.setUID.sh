# The mock (npm start) and its test site. In production: your API key
# and secret, to https://socialize.<dc>.gigya.com.
SECRET=c29jaWFsaXplLW1vY2sgcGFydG5lciBzZWNyZXQgKHRlc3Qgb25seSk=
curl -s http://127.0.0.1:4010/socialize.setUID \
  --data-urlencode apiKey=3_socializeMockTestSite \
  --data-urlencode "secret=$SECRET" \
  --data-urlencode UID=_gid_Maxa3fCszqWc1A1D1HsoHg== \
  --data-urlencode siteUID=site-user-42
