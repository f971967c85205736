# Not a JSON call: the user's browser goes to this URL, then comes back
# to redirect_uri. curl shows where the mock (npm start) sends it.
curl -s -G -o /dev/null -w "%{redirect_url}\n" \
  http://127.0.0.1:4010/socialize.login \
  --data-urlencode x_provider=facebook \
  --data-urlencode client_id=3_socializeMockTestSite \
  --data-urlencode redirect_uri=https://www.example.com/login/done \
  --data-urlencode response_type=token \
  --data-urlencode state=af0ifjsldkj
