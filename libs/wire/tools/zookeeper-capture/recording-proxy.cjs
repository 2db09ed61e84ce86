// Recording TCP proxy for the capture: logs every length-prefixed frame in both directions as JSON lines.
// Usage: node recording-proxy.cjs LISTEN_PORT ZOOKEEPER_PORT OUT.jsonl (loopback only).
const net = require('net');
const fs = require('fs');
const [listenPort, targetPort, outFile] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4]];
let connSeq = 0;
function framer(conn, dir) {
  let buf = Buffer.alloc(0);
  return (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 4) {
      const len = buf.readInt32BE(0);
      if (buf.length < 4 + len) break;
      fs.appendFileSync(outFile, JSON.stringify({ conn, dir, hex: buf.subarray(4, 4 + len).toString('hex') }) + '\n');
      buf = buf.subarray(4 + len);
    }
  };
}
net.createServer((client) => {
  const conn = ++connSeq;
  const server = net.connect(targetPort, '127.0.0.1');
  const c2s = framer(conn, 'c2s'), s2c = framer(conn, 's2c');
  client.on('data', (d) => { c2s(d); server.write(d); });
  server.on('data', (d) => { s2c(d); client.write(d); });
  client.on('close', () => server.destroy());
  server.on('close', () => client.destroy());
  client.on('error', () => {}); server.on('error', () => {});
}).listen(listenPort, '127.0.0.1');
