// Turns the proxy's JSON lines into src/fixtures/zookeeper-3.8.0-capture.json, labelling each client frame
// with the scenario step that sent it. Usage: node build-fixture.cjs capture.jsonl OUT.json
const fs = require('fs');
const [inFile, outFile] = process.argv.slice(2);

const javaSteps = [
  'connect', 'addAuthInfo digest', 'create', 'create2 (sequential, CREATOR_ALL_ACL)', 'createContainer',
  'createTTL (null data)', 'create ephemeral', 'create -> nodeExists', 'exists with watch', 'exists missing -> noNode',
  'getData with watch', 'getData of null data', 'getData -> noNode', 'setData -> badVersion', 'getACL (digest)', 'setACL',
  'getChildren with watch', 'getChildren2', 'sync', 'multi ok (create, container, ttl, setData, check, delete)',
  'multi fails at check -> ErrorResults', 'multiRead with a missing node', 'addWatch persistentRecursive', 'getEphemerals',
  'getAllChildrenNumber', 'whoAmI', 'setData triggers watches', 'removeWatches any', 'removeWatches -> noWatcher', 'delete',
  'delete -> notEmpty', 'closeSession',
];
const connections = [
  { name: 'Java client 3.8.0 (org.apache.zookeeper.ZooKeeper), synchronous calls', steps: javaSteps },
  {
    name: 'raw socket: a client that sends no readOnly byte, then malformed and unknown requests',
    steps: ['connect without readOnly byte', 'ping', 'getData with truncated body', 'unknown opcode 999'],
  },
  {
    name: 'raw socket: setWatches/setWatches2 on reconnect, top-level check',
    steps: [
      'connect',
      'setWatches (data /golden, child /golden/none)',
      'setWatches2 (persistent /golden, recursive /golden/container)',
      'top-level check -> badVersion (3.8.0; 3.8.5+ answer unimplemented)',
    ],
  },
];

const lines = fs.readFileSync(inFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const connIds = [...new Set(lines.map((l) => l.conn))];
if (connIds.length !== connections.length) throw new Error(`expected ${connections.length} connections, got ${connIds.length}`);
const out = {
  source:
    'Captured with a recording proxy between the clients and Apache ZooKeeper 3.8.0 (Debian zookeeper 3.8.0-11, standalone, ' +
    'extendedTypesEnabled=true); see libs/wire/tools/zookeeper-capture. Frame bodies without the 4-byte length prefix, in wire order per connection.',
  connections: connections.map(({ name, steps }, i) => {
    const frames = lines.filter((l) => l.conn === connIds[i]);
    let step = 0;
    const labelled = frames.map((f) => (f.dir === 'c2s' ? { dir: f.dir, step: steps[step++], hex: f.hex } : { dir: f.dir, hex: f.hex }));
    if (step !== steps.length) throw new Error(`${name}: ${step} client frames for ${steps.length} steps`);
    return { name, frames: labelled };
  }),
};
fs.writeFileSync(outFile, JSON.stringify(out, null, 1) + '\n');
console.log(`wrote ${outFile}: ${lines.length} frames`);
