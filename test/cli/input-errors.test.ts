import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { PNG } from 'pngjs';
import { manualSeed, nn } from '../../src/index.js';
import { greyRows, handPng } from '../io/png-bytes.js';
import { cliIn } from './run-cli.js';

// Files `predict` and `eval` must refuse in one line, naming the file and what it is, with nothing on stdout.
const { work, kindling } = cliIn('inputs');
const BIN = fileURLToPath(new URL('../../../bin/kindling.js', import.meta.url));

function refused(args: readonly string[], stderr: string): void {
  const r = kindling(args);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stderr, `kindling: ${stderr}\n`);
  assert.equal(r.stdout, '');
}

manualSeed(0);
const model = join(work, 'model.safetensors');
new nn.Sequential(new nn.Linear(784, 10), new nn.Sigmoid()).save(model);
const file = (name: string, bytes: Uint8Array | string): string => {
  const path = join(work, name);
  writeFileSync(path, bytes);
  return path;
};

test('predict refuses a PNG whose image data stops short of the rows its header declares; the whole image is classified', () => {
  const whole = kindling(['predict', '--model', model, file('whole.png', handPng({ width: 28, height: 28 }))]);
  assert.equal(whole.status, 0, whole.stderr);
  const short = file('short.png', handPng({ width: 28, height: 28, raw: greyRows(28, 14) }));
  refused(['predict', '--model', model, short], `${short}: the PNG image cannot be decoded (the image data ends before the image does: it holds 14 of the 28 rows the header declares); is the file complete?`);
});

test('predict refuses a tiny PNG declaring a huge image before decoding it', () => {
  const bomb = file('bomb.png', handPng({ width: 30000, height: 30000, colorType: 6, raw: new Uint8Array(120_001) }));
  refused(['predict', '--model', model, bomb], `${bomb}: the PNG image is 30,000 × 30,000 pixels, larger than the 8192 × 8192 Kindling reads (its pixels alone would take 3.6 GB); scale it down first`);
});

test('predict refuses a PNG whose header declares no pixels, saying so rather than blaming its data', () => {
  for (const [width, height] of [[0, 0], [28, 0], [0, 5]] as const) {
    const empty = file(`empty-${width}x${height}.png`, handPng({ width, height, raw: new Uint8Array(0) }));
    refused(['predict', '--model', model, empty], `${empty}: the PNG image is empty (its header gives ${width} × ${height} pixels)`);
  }
});

test('an empty input file is called empty, whatever its name; --resume - says a resume does not read standard input', () => {
  for (const name of ['blank.png', 'blank.csv', 'blank']) {
    const empty = file(name, '');
    refused(['predict', '--model', model, empty], `${empty} is empty (0 bytes): expected a PNG image or a CSV file of MNIST rows`);
  }
  refused(['train', '--resume', '-'], '--resume -: a run is resumed from its checkpoint file or its run folder (where it goes on writing), not from standard input; give the path');
});

test('predict: a file that is neither a PNG nor CSV text says so, and never prints its raw bytes', () => {
  const hello = file('file.txt', 'hello\n');
  refused(['predict', '--model', model, hello], `${hello} is neither a PNG image nor a CSV file of images: it does not start with the PNG signature, and its first line has no commas ("hello")`);
  // Random bytes (not UTF-8), with control characters and no NUL.
  const noise = Uint8Array.from({ length: 300 }, (_, i) => (i * 97 + 13) % 255 + 1);
  const random = file('random', noise);
  refused(['predict', '--model', model, random], `${random} is neither a PNG image nor a CSV file of images: it does not start with the PNG signature, and it holds binary data (bytes that are not UTF-8 text)`);
  const nul = file('zeros.csv', new Uint8Array(64));
  refused(['predict', '--model', model, nul], `${nul} is neither a PNG image nor a CSV file of images: it does not start with the PNG signature, and it holds binary data (NUL bytes)`);
  // A long first line with control characters: escaped and cut, never written raw to the terminal.
  const long = file('long.txt', `\u001b[31mred${'x'.repeat(100)}\n`);
  refused(['predict', '--model', model, long], `${long} is neither a PNG image nor a CSV file of images: it does not start with the PNG signature, and its first line has no commas ("\\x1b[31mred${'x'.repeat(32)}…")`);
  // CSV text still goes to the CSV parser and its messages.
  const wide = file('wide.csv', '1,2,3\n');
  refused(['predict', '--model', model, wide], `${wide} line 1: 3 columns, expected 785 (a label then 784 pixel values) or 784 (pixel values, no label)`);
  // An empty name (a shell variable that was not set) is named as such, before any file is read.
  refused(['predict', '--model', model, wide, ''], 'input 2 is an empty file name (""): name a PNG image or a CSV file');
});

test('eval on Kaggle\'s unlabelled test.csv says eval needs labelled data and that predict reads such a file', () => {
  const header = Array.from({ length: 784 }, (_, i) => `pixel${i}`).join(',');
  const pixels = Array.from({ length: 784 }, (_, i) => i % 256).join(',');
  const kaggle = file('kaggle_test.csv', `${header}\n${pixels}\n${pixels}\n`);
  refused(
    ['eval', '--model', model, '--data', kaggle],
    `${kaggle} line 1: the header has 784 columns, pixel values with no label (unlabelled images, which kindling predict classifies); kindling eval, train and preview need labelled data: 785 columns, a label then 784 pixel values`,
  );
  const predicted = kindling(['predict', '--model', model, '--json', kaggle]);
  assert.equal(predicted.status, 0, predicted.stderr);
  assert.equal((JSON.parse(predicted.stdout) as { predictions: unknown[] }).predictions.length, 2);
});

test('a device or a socket given as a file is refused at once; a pipe is read to its end, and one nobody writes to is empty', async () => {
  // In words only: ENOTFILE is no code of the system's.
  const why = 'it is not a file but a device or a socket, whose reading might never end';
  refused(['predict', '--model', model, '/dev/zero'], `cannot read /dev/zero: ${why}`);
  refused(['predict', '--model', '/dev/zero', '/dev/null'], `cannot read /dev/zero: ${why}`);
  refused(['predict', '--model', model, work], `cannot read ${work}: it is a folder, not a file`);
  // A FIFO with no writer reads as empty, at once, instead of waiting forever.
  const fifo = join(work, 'pipe.csv');
  execFileSync('mkfifo', [fifo]);
  const r = kindling(['predict', '--model', model, fifo]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`^kindling: .*${fifo.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*empty`));
  // A pipe with a writer, as the shell's `cat rows.csv | kindling predict … /dev/stdin`: read to its end.
  const rows = file('rows.csv', `${Array.from({ length: 784 }, (_, i) => i % 256).join(',')}\n`);
  const piped = spawnSync('sh', ['-c', `cat '${rows}' | '${process.execPath}' '${BIN}' predict --model '${model}' --json /dev/stdin`], { encoding: 'utf8' });
  assert.equal(piped.status, 0, piped.stderr);
  assert.equal((JSON.parse(piped.stdout) as { predictions: unknown[] }).predictions.length, 1);
  // `-` is standard input too, for an input or for --model (eval's as well), but for one of them only.
  const sh = (cmd: string): ReturnType<typeof spawnSync> => spawnSync('sh', ['-c', cmd], { encoding: 'utf8' });
  const dash = sh(`cat '${rows}' | '${process.execPath}' '${BIN}' predict --model '${model}' --json -`);
  assert.equal(dash.status, 0, String(dash.stderr));
  assert.deepEqual(JSON.parse(String(dash.stdout)), JSON.parse(piped.stdout));
  const modelIn = sh(`cat '${model}' | '${process.execPath}' '${BIN}' predict --model - --json '${rows}'`);
  assert.equal(modelIn.status, 0, String(modelIn.stderr));
  assert.deepEqual((JSON.parse(String(modelIn.stdout)) as { predictions: unknown[] }).predictions, (JSON.parse(piped.stdout) as { predictions: Array<{ input: string }> }).predictions.map((p) => ({ ...p, input: rows })));
  const evaluated = sh(`cat '${model}' | '${process.execPath}' '${BIN}' eval --model - --test-limit 20 --json`);
  assert.equal(evaluated.status, 0, String(evaluated.stderr));
  assert.equal((JSON.parse(String(evaluated.stdout)) as { total: number }).total, 20);
  refused(['predict', '--model', '-', rows, '/dev/stdin'], '--model (-) and input 2 (/dev/stdin) both read standard input, which can be read only once: pipe in one of them and name the others\' files');
  // A socket cannot even be opened for reading: said in words, not as ENXIO's.
  const socketPath = join(work, 'sock.csv');
  const server = createServer().listen(socketPath);
  await once(server, 'listening');
  try {
    refused(['predict', '--model', model, socketPath], `cannot read ${socketPath}: it is not a file but a socket or a device with nothing behind it (ENXIO)`);
  } finally {
    server.close();
  }
});

test('gzipped data that expands past 1 GiB is refused as such, without holding it all', () => {
  // 1.1 GB of zeros, gzipped (about 1 MB), in the Kaggle CSV layout's name.
  const zeros = Buffer.alloc(64 * 2 ** 20);
  const gz = createGzip({ level: 1 });
  const chunks: Buffer[] = [];
  gz.on('data', (c: Buffer) => chunks.push(c));
  for (let i = 0; i < 17; i++) gz.write(zeros);
  gz.end();
  const done = new Promise<void>((r) => gz.on('end', r));
  return done.then(() => {
    const bomb = file('bomb.csv.gz', Buffer.concat(chunks));
    refused(['predict', '--model', model, bomb], `${bomb}: the gzip data expands to more than 1.1 GB, more than a data set Kindling reads`);
  });
});

test('predict reads the digit of a captioned preview, not its "label N" caption: the same answer as the digit alone', () => {
  const captioned = join(work, 'captioned.png');
  const alone = join(work, 'alone.png');
  for (const [out, extra] of [[captioned, []], [alone, ['--no-label']]] as const) {
    const r = kindling(['preview', '--split', 'test', '--index', '1', ...extra, '--out', out]);
    assert.equal(r.status, 0, r.stderr);
  }
  const run = (path: string): { predicted: number; outputs: number[] } => {
    const r = kindling(['predict', '--model', model, '--json', path]);
    assert.equal(r.status, 0, r.stderr);
    const p = (JSON.parse(r.stdout) as { predictions: Array<{ predicted: number; outputs: number[] }> }).predictions[0]!;
    return { predicted: p.predicted, outputs: p.outputs };
  };
  assert.deepEqual(run(captioned), run(alone));
  // The box is only taken from the preview's own text chunk: the same pixels without it are read whole.
  const bare = file('bare.png', PNG.sync.write(PNG.sync.read(readFileSync(captioned))));
  assert.notDeepEqual(run(bare).outputs, run(alone).outputs);
});

test('predict names a UTF-16 CSV as such, with how to save it as UTF-8', () => {
  const text = `${Array.from({ length: 784 }, (_, i) => i % 256).join(',')}\n`;
  const utf16 = file('excel.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
  refused(['predict', '--model', model, utf16], `${utf16}: it is UTF-16 text (little-endian, as Excel's "Unicode text" saves), and Kindling reads CSV as UTF-8: save it as UTF-8 (CSV UTF-8 in Excel, or iconv -f UTF-16 -t UTF-8)`);
});
