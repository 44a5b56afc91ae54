// The read-path baseline: a bare node:http server, in its own process, answering GET with the bytes of one
// file and POST with the bytes of another (Content-Type application/json, keep-alive). Usage:
//   node bench/baseline/bare-server.ts <get-body-file> <post-body-file>   (prints "listening on <url>")
import fs from 'node:fs';
import http from 'node:http';

const [getFile, postFile] = process.argv.slice(2);
if (!getFile || !postFile) {
  process.stderr.write('usage: bare-server.ts <get-body-file> <post-body-file>\n');
  process.exit(2);
}
const getBody = fs.readFileSync(getFile);
const postBody = fs.readFileSync(postFile);

const server = http.createServer((req, res) => {
  const body = req.method === 'POST' ? postBody : getBody;
  // Read the request body before answering, as any real handler must.
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.stdout.write(`listening on http://127.0.0.1:${address.port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
