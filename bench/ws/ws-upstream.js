// A WebSocket upstream for bench/run.sh, Node.js standard library only (no npm install):
// answers any upgrade with 101 (RFC 6455 handshake) and then holds the connection, echoing text and
// binary messages (bench/soak.sh checks them), answering pings and closes; plain HTTP requests get a
// small 200.
// usage: node ws-upstream.js PORT
'use strict';
const http = require('http');
const { parseFrame, frame, acceptFor } = require('./frames');
const port = Number(process.argv[2] || 0);
let open = 0, accepted = 0, closeFrames = 0;
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ws upstream\n');
});
server.on('upgrade', (req, socket, head) => {
  const key = req.headers['sec-websocket-key'];
  if (!key || String(req.headers.upgrade).toLowerCase() !== 'websocket') {
    socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  const accept = acceptFor(key);
  socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
    'Sec-WebSocket-Accept: ' + accept + '\r\n\r\n');
  open++; accepted++;
  socket.setNoDelay(true);
  let pending = head && head.length ? Buffer.from(head) : Buffer.alloc(0);
  socket.on('data', (buf) => {
    // client frames are masked: echo data frames (text 0x1, binary 0x2, continuation 0x0), answer a
    // close (0x8) with a close carrying the same code, a ping (0x9) with a pong
    pending = pending.length ? Buffer.concat([pending, buf]) : buf;
    for (let f = parseFrame(pending); f; f = parseFrame(pending)) {
      pending = pending.subarray(f.size);
      if (f.op === 0x8) {
        closeFrames++;
        socket.end(frame(0x8, f.payload.subarray(0, 2), false));
        return;
      } else if (f.op === 0x9) {
        socket.write(frame(0xa, f.payload, false));
      } else if (f.op <= 0x2) {
        socket.write(Buffer.concat([Buffer.from([(f.fin ? 0x80 : 0) | f.op]), frame(f.op, f.payload, false).subarray(1)]));
      }
    }
  });
  socket.on('error', () => {});
  socket.on('close', () => { open--; });
});
server.listen(port, '127.0.0.1', () => {
  console.log('ws-upstream listening ' + server.address().port);
});
setInterval(() => {}, 1 << 30);
process.on('SIGTERM', () => process.exit(0));
process.on('SIGUSR2', () => console.log('ws-upstream open ' + open + ' accepted ' + accepted + ' close-frames-received ' + closeFrames));
