// Opens COUNT idle WebSockets through a proxy and holds them; Node.js standard library only.
// usage: node ws-clients.js HOST PORT COUNT HOST_HEADER TOKEN_FILE HOLD_SECONDS [PATH]
// Prints "WS_JSON {...}" twice: after the handshakes (opened, failed, statuses, seconds) and after
// the hold (how many are still open). Closes everything on exit.
'use strict';
const net = require('net');
const crypto = require('crypto');
const fs = require('fs');
const [host, portText, countText, hostHeader, tokenFile, holdText, path = '/ws'] = process.argv.slice(2);
const port = Number(portText), count = Number(countText), hold = Number(holdText);
const token = fs.readFileSync(tokenFile, 'utf8').trim();
const PARALLEL = 100; // handshakes in flight at once
const sockets = [];
const statuses = {};
let started = 0, finished = 0, opened = 0, failed = 0, closedAfterOpen = 0;
const t0 = Date.now();

function one() {
  if (started >= count) return;
  started++;
  const key = crypto.randomBytes(16).toString('base64');
  const s = net.connect(port, host);
  let head = '';
  let done = false;
  const finish = (status) => {
    if (done) return;
    done = true;
    statuses[status] = (statuses[status] || 0) + 1;
    if (status === '101') { opened++; sockets.push(s); } else { failed++; s.destroy(); }
    finished++;
    if (finished === count) report(); else one();
  };
  s.setNoDelay(true);
  s.on('connect', () => s.write('GET ' + path + ' HTTP/1.1\r\nHost: ' + hostHeader +
    '\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ' + key +
    '\r\nAuthorization: Bearer ' + token + '\r\n\r\n'));
  s.on('data', (buf) => {
    if (done) return;
    head += buf.toString('latin1');
    const end = head.indexOf('\r\n');
    if (end >= 0) finish(head.substring(9, 12));
  });
  s.on('error', (e) => finish('error:' + (e.code || e.message)));
  s.on('close', () => { if (done && statuses['101'] && sockets.includes(s)) closedAfterOpen++; else finish('closed'); });
}

function report() {
  const seconds = (Date.now() - t0) / 1000;
  console.log('WS_JSON ' + JSON.stringify({ phase: 'opened', count, opened, failed, statuses, seconds }));
  setTimeout(() => {
    console.log('WS_JSON ' + JSON.stringify({ phase: 'held', hold_seconds: hold, still_open: opened - closedAfterOpen,
      closed_by_peer: closedAfterOpen }));
    sockets.forEach((s) => s.destroy());
    process.exit(0);
  }, hold * 1000);
}

for (let i = 0; i < Math.min(PARALLEL, count); i++) one();
process.on('SIGTERM', () => { sockets.forEach((s) => s.destroy()); process.exit(0); });
