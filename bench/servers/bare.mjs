// The ceiling: a bare node:http server that reads the request body and answers one fixed JSON body,
// with no routing, parsing or validation. Nothing answering HTTP from Node can be much faster.
// Usage: node bench/servers/bare.mjs [port]   (body from BENCH_ANSWER; prints "listening on <url>")
import { createServer } from 'node:http';

const answer = Buffer.from(process.env.BENCH_ANSWER ?? '{"errorCode":0,"statusCode":200}');
const server = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': answer.length });
    res.end(answer);
  });
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
});
