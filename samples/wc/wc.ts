// wc: counts the lines, words and bytes it reads from stdin (fd_read on descriptor 0).
// stdin is a capability too: with the default "none" the module reads end-of-file at once.
// AssemblyScript, built with the WASI shim so that `process` and `console` call WASI.

function isSpace(byte: u8): bool {
  return byte == 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

const buffer = new ArrayBuffer(4096);
const bytes = Uint8Array.wrap(buffer);
let lines: i64 = 0;
let words: i64 = 0;
let total: i64 = 0;
let inWord = false;

while (true) {
  const n = process.stdin.read(buffer);
  if (n <= 0) break;
  total += n;
  for (let i = 0; i < n; i++) {
    const byte = bytes[i];
    if (byte == 0x0a) lines++;
    if (isSpace(byte)) {
      inWord = false;
    } else if (!inWord) {
      inWord = true;
      words++;
    }
  }
}

process.stdout.write(`lines ${lines}\nwords ${words}\nbytes ${total}\n`);
