import { createHash, type Hash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';

const FLUSH_CHARS = 256 * 1024;

/**
 * Appends text to a new file in batches while hashing it, so a bundle's large entries are
 * written once, with their SHA-256 and size known at the end, without holding them in memory.
 */
export class HashingFileWriter {
  private readonly hash: Hash = createHash('sha256');
  private pending: string[] = [];
  private pendingChars = 0;
  private byteCount = 0;

  private constructor(
    readonly path: string,
    private handle: FileHandle | null,
  ) {}

  /** Creates the file (owner-only: it holds ledger content until the ZIP is made). */
  static async create(path: string): Promise<HashingFileWriter> {
    return new HashingFileWriter(path, await open(path, 'wx', 0o600));
  }

  /** Queues text; writes when enough has gathered. */
  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= FLUSH_CHARS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0 || !this.handle) return;
    const bytes = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingChars = 0;
    this.hash.update(bytes);
    this.byteCount += bytes.length;
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, offset, bytes.length - offset);
      offset += bytesWritten;
    }
  }

  /** Writes what is left and closes the file; returns its hash and size. */
  async finish(): Promise<{ sha256: string; bytes: number }> {
    await this.flush();
    await this.close();
    return { sha256: this.hash.digest('hex'), bytes: this.byteCount };
  }

  /** Closes without finishing (on error or cancel); the caller removes the file. */
  async close(): Promise<void> {
    const h = this.handle;
    this.handle = null;
    await h?.close();
  }
}
