import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { CustosError } from '../core/errors.js';

/** Reads a passphrase (or another secret, `what`) from CUSTOS_PASSPHRASE (or `envVar`), or asks on the terminal without echo. */
export async function readPassphrase(question: string, opts: { confirm?: boolean; envVar?: string; what?: string } = {}): Promise<string> {
  const fromEnv = process.env[opts.envVar ?? 'CUSTOS_PASSPHRASE'];
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) {
    throw new CustosError('validation', `No ${opts.what ?? 'passphrase'} given: set ${opts.envVar ?? 'CUSTOS_PASSPHRASE'} or run the command in a terminal.`);
  }
  const first = await askHidden(question);
  if (opts.confirm) {
    const again = await askHidden('Repeat it: ');
    if (again !== first) throw new CustosError('validation', 'The two passphrases differ.');
  }
  return first;
}

function askHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _enc, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}
