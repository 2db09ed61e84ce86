// Raw-socket scenarios a Java client never produces (no readOnly byte, ping, malformed and unknown requests,
// setWatches, top-level check); frames are built by hand. Usage: node raw-scenarios.cjs PROXY_PORT
const net = require('net');
const port = Number(process.argv[2]);
const int = (n) => { const b = Buffer.alloc(4); b.writeInt32BE(n); return b; };
const long = (n) => { const b = Buffer.alloc(8); b.writeBigInt64BE(BigInt(n)); return b; };
const str = (s) => Buffer.concat([int(Buffer.byteLength(s)), Buffer.from(s)]);
const frame = (...parts) => { const body = Buffer.concat(parts); return Buffer.concat([int(body.length), body]); };
const connect = (readOnly) => frame(int(0), long(0), int(30000), long(0), int(16), Buffer.alloc(16), ...(readOnly === undefined ? [] : [Buffer.from([readOnly ? 1 : 0])]));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function run(name, frames) {
  console.log('conn', name);
  const s = net.connect(port, '127.0.0.1');
  s.on('data', () => {}); s.on('error', (e) => console.log(' err', e.message));
  await new Promise((r) => s.on('connect', r));
  for (const f of frames) { s.write(f); await sleep(150); }
  await sleep(300); s.destroy(); await sleep(100);
}
(async () => {
  await run('old client, ping, malformed getData, unknown op', [
    connect(undefined),
    frame(int(-2), int(11)),
    frame(int(1), int(4), int(100), Buffer.from('/go')),
    frame(int(2), int(999), str('/golden')),
  ]);
  await run('setWatches, setWatches2, check', [
    connect(false),
    frame(int(-8), int(101), long(0), int(1), str('/golden'), int(0), int(1), str('/golden/none')),
    frame(int(-8), int(105), long(0), int(0), int(0), int(0), int(1), str('/golden'), int(1), str('/golden/container')),
    frame(int(3), int(13), str('/golden'), int(0)),
  ]);
})();
