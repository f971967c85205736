// The ceiling: a bare node:http server that reads the request body and answers one fixed JSON body,
// with no routing, parsing or validation. Nothing answering HTTP from Node can be much faster.
// Usage: node bench/servers/bare.mjs [port]   (prints "listening on <url>")
// The body: BENCH_ANSWER; with BENCH_ANSWERS (JSON: path → body text), the body kept for the request's
// path (one Map lookup), BENCH_ANSWER for any other path, so that one server answers each method with an
// answer of its own size.
import { createServer } from 'node:http';

const fallback = Buffer.from(process.env.BENCH_ANSWER ?? '{"errorCode":0,"statusCode":200}');
const byPath = new Map(Object.entries(JSON.parse(process.env.BENCH_ANSWERS ?? '{}')).map(([path, text]) => [path, Buffer.from(text)]));
const server = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    const answer = byPath.get(req.url) ?? fallback;
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
