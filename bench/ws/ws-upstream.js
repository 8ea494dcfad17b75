// A WebSocket upstream for bench/run.sh, Node.js standard library only (no npm install):
// answers any upgrade with 101 (RFC 6455 handshake) and then holds the connection idle,
// answering pings and closes; plain HTTP requests get a small 200.
// usage: node ws-upstream.js PORT
'use strict';
const http = require('http');
const crypto = require('crypto');
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const port = Number(process.argv[2] || 0);
let open = 0;
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ws upstream\n');
});
server.on('upgrade', (req, socket) => {
  const key = req.headers['sec-websocket-key'];
  if (!key || String(req.headers.upgrade).toLowerCase() !== 'websocket') {
    socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  const accept = crypto.createHash('sha1').update(key + GUID).digest('base64');
  socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
    'Sec-WebSocket-Accept: ' + accept + '\r\n\r\n');
  open++;
  socket.setNoDelay(true);
  socket.on('data', (buf) => {
    // client frames are masked; answer a close (0x8) with a close, a ping (0x9) with a pong
    const op = buf[0] & 0x0f;
    if (op === 0x8) {
      socket.end(Buffer.from([0x88, 0x00]));
    } else if (op === 0x9) {
      socket.write(Buffer.from([0x8a, 0x00]));
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
process.on('SIGUSR2', () => console.log('ws-upstream open ' + open));
