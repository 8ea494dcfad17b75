// WebSocket churn for bench/soak.sh, Node.js standard library only (Node 20 has no WebSocket client).
// COUNT loops run at once; each loop, forever: open a WebSocket through the proxy (hand-made RFC 6455
// handshake, Sec-WebSocket-Accept checked), send MSGS text messages of random size GAP_MS apart and
// check each echo, then close (1000) and wait for the close frame and the end of the connection.
// Every DENY_EVERY-th handshake of a loop carries the denied token instead and must get 403.
// usage: node ws-churn.js HOST PORT HOST_HEADER TOKEN_FILE DENIED_TOKEN_FILE COUNT MSGS GAP_MS STATS_SECONDS [DENY_EVERY] [PATH]
// Prints "WS_STATS {...}" (cumulative counters) every STATS_SECONDS and once more at the end. On SIGTERM
// the loops finish their current socket with a clean close (no new ones), then it exits.
'use strict';
const net = require('net');
const crypto = require('crypto');
const fs = require('fs');
const { parseFrame, frame, acceptFor } = require('./frames');

const [host, portText, hostHeader, tokenFile, deniedFile, countText, msgsText, gapText, statsText,
  denyEveryText = '10', path = '/ws'] = process.argv.slice(2);
const port = Number(portText), count = Number(countText), msgs = Number(msgsText), gap = Number(gapText);
const denyEvery = Number(denyEveryText);
const token = fs.readFileSync(tokenFile, 'utf8').trim();
const deniedToken = fs.readFileSync(deniedFile, 'utf8').trim();
const TIMEOUT_MS = 10000;

const stats = { opened: 0, closed_clean: 0, denied_ok: 0, messages_ok: 0, bytes_echoed: 0, failures: 0,
  failure_kinds: {}, open_now: 0 };
let stopping = false;
const t0 = Date.now();

function fail(kind) {
  stats.failures++;
  stats.failure_kinds[kind] = (stats.failure_kinds[kind] || 0) + 1;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A connection with a promise-based reader: head() for the HTTP response head, next() for a frame. */
function connect() {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, host);
    let buf = Buffer.alloc(0), waiter = null, ended = false;
    const wake = () => { if (waiter) { const w = waiter; waiter = null; w(); } };
    s.setNoDelay(true);
    s.on('data', (d) => { buf = buf.length ? Buffer.concat([buf, d]) : d; wake(); });
    s.on('end', () => { ended = true; wake(); });
    s.on('close', () => { ended = true; wake(); });
    s.on('error', (e) => { s.lastError = e.code || e.message; ended = true; wake(); });
    const until = async (take, what) => {
      const deadline = Date.now() + TIMEOUT_MS;
      for (;;) {
        const got = take();
        if (got !== null) return got;
        if (ended) throw new Error('eof-' + what + (s.lastError ? '-' + s.lastError : ''));
        const left = deadline - Date.now();
        if (left <= 0) throw new Error('timeout-' + what);
        await new Promise((r) => { waiter = r; setTimeout(r, left); });
      }
    };
    const conn = {
      socket: s,
      head: () => until(() => {
        const i = buf.indexOf('\r\n\r\n');
        if (i < 0) return null;
        const text = buf.subarray(0, i).toString('latin1');
        buf = buf.subarray(i + 4);
        return text;
      }, 'head'),
      next: (what) => until(() => {
        for (;;) {
          const f = parseFrame(buf);
          if (!f) return null;
          buf = buf.subarray(f.size);
          // control frames from Gatehouse's keep-alive: answer pings, ignore pongs, read on
          if (f.op === 0x9) { s.write(frame(0xA, f.payload, true)); continue; }
          if (f.op === 0xA) continue;
          return f;
        }
      }, what),
      closed: () => until(() => (ended ? true : null), 'tcp-close'),
    };
    s.once('connect', () => resolve(conn));
    s.once('error', (e) => reject(new Error('connect-' + (e.code || e.message))));
  });
}

async function cycle(n) {
  const denied = denyEvery > 0 && n % denyEvery === denyEvery - 1;
  const key = crypto.randomBytes(16).toString('base64');
  const conn = await connect();
  const s = conn.socket;
  try {
    s.write('GET ' + path + ' HTTP/1.1\r\nHost: ' + hostHeader + '\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ' + key + '\r\nAuthorization: Bearer ' +
      (denied ? deniedToken : token) + '\r\n\r\n');
    const head = await conn.head();
    const status = head.substring(9, 12);
    if (denied) {
      if (status === '403') stats.denied_ok++; else fail('denied-handshake-status-' + status);
      return;
    }
    if (status !== '101') { fail('handshake-status-' + status); return; }
    const accept = /\r\nsec-websocket-accept:\s*(\S+)/i.exec(head);
    if (!accept || accept[1] !== acceptFor(key)) { fail('bad-accept'); return; }
    stats.opened++; stats.open_now++;
    try {
      for (let m = 0; m < msgs && !stopping; m++) {
        const size = 1 + Math.floor(Math.random() * 4096);
        const payload = Buffer.from(crypto.randomBytes(Math.ceil(size / 2)).toString('hex').substring(0, size));
        s.write(frame(0x1, payload, true));
        const f = await conn.next('echo');
        if (f.op !== 0x1 || !f.fin || !f.payload.equals(payload)) { fail('echo-mismatch'); return; }
        stats.messages_ok++; stats.bytes_echoed += size;
        if (gap > 0 && m < msgs - 1) await sleep(gap);
      }
      s.write(frame(0x8, Buffer.from([0x03, 0xe8]), true)); // 1000, normal closure
      const f = await conn.next('close-frame');
      if (f.op !== 0x8) { fail('no-close-frame-op-' + f.op); return; }
      await conn.closed();
      stats.closed_clean++;
    } finally {
      stats.open_now--;
    }
  } catch (e) {
    fail(e.message);
  } finally {
    s.destroy();
  }
}

async function loop(i) {
  let n = i % Math.max(1, denyEvery); // spread the denied handshakes over time
  await sleep(Math.floor(Math.random() * Math.max(gap, 100) * 2)); // stagger the start
  while (!stopping) {
    try {
      await cycle(n++);
    } catch (e) {
      fail(e.message);
      await sleep(100);
    }
  }
}

const print = (phase) => console.log('WS_STATS ' + JSON.stringify({ phase, seconds: (Date.now() - t0) / 1000, ...stats }));
const loops = [];
for (let i = 0; i < count; i++) loops.push(loop(i));
const timer = setInterval(() => print('running'), Number(statsText) * 1000);
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  const force = setTimeout(() => { print('final-forced'); process.exit(0); }, 15000);
  Promise.all(loops).then(() => { clearInterval(timer); clearTimeout(force); print('final'); process.exit(0); });
});
