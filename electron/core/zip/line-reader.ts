import { createHash, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';

/** Raised when a line is longer than the reader accepts; the caller reports it as a malformed file. */
export class LineTooLong extends Error {
  constructor(readonly lineNumber: number, readonly limit: number) {
    super(`Line ${lineNumber} is longer than ${limit} bytes.`);
  }
}

/**
 * Splits a stream into lines (without the newline) while hashing every byte it reads, so one pass
 * both checks the file's SHA-256 against the manifest and parses it. Memory holds one chunk plus
 * one line, whatever the file's size.
 */
export class LineReader {
  private readonly hash: Hash = createHash('sha256');
  private byteCount = 0;
  private lineCount = 0;
  private unterminated = false;
  private finished = false;

  constructor(
    private readonly stream: Readable,
    private readonly maxLineBytes: number,
  ) {}

  /** Bytes read so far. */
  get bytes(): number {
    return this.byteCount;
  }

  /** True once the stream was read to its end. */
  get done(): boolean {
    return this.finished;
  }

  /** True when the last line had no newline after it. */
  get endedWithoutNewline(): boolean {
    return this.unterminated;
  }

  /** Hex SHA-256 of the bytes read (the whole file once `done`). */
  digest(): string {
    return this.hash.copy().digest('hex');
  }

  /**
   * Yields the complete lines of each chunk read, as one array per chunk: one await per chunk
   * rather than per line keeps a million short lines cheap. Stopping early destroys the stream.
   */
  async *batches(): AsyncGenerator<Buffer[]> {
    let carry: Buffer | null = null;
    try {
      for await (const chunk of this.stream as AsyncIterable<Buffer>) {
        this.hash.update(chunk);
        this.byteCount += chunk.length;
        const out: Buffer[] = [];
        let start = 0;
        let nl = chunk.indexOf(10, start);
        while (nl !== -1) {
          let line = chunk.subarray(start, nl);
          if (carry) {
            line = Buffer.concat([carry, line]);
            carry = null;
          }
          this.lineCount++;
          if (line.length > this.maxLineBytes) throw new LineTooLong(this.lineCount, this.maxLineBytes);
          out.push(line);
          start = nl + 1;
          nl = chunk.indexOf(10, start);
        }
        if (start < chunk.length) {
          const rest = chunk.subarray(start);
          // Copy: the chunk's memory must not be pinned by a partial line.
          carry = carry ? Buffer.concat([carry, rest]) : Buffer.from(rest);
          if (carry.length > this.maxLineBytes) throw new LineTooLong(this.lineCount + 1, this.maxLineBytes);
        }
        if (out.length > 0) yield out;
      }
      if (carry && carry.length > 0) {
        this.unterminated = true;
        this.lineCount++;
        yield [carry];
      }
      this.finished = true;
    } finally {
      if (!this.finished) this.stream.destroy();
    }
  }

  /** Yields each line (for small files and lockstep reading). */
  async *lines(): AsyncGenerator<Buffer> {
    for await (const batch of this.batches()) yield* batch;
  }
}

/** Reads a whole stream only to hash it and count its bytes. */
export async function hashStream(stream: Readable): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}
