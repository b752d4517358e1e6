import { crc32, deflateRawSync } from 'node:zlib';

/**
 * One entry of a hand-built archive. Every header field can be set, so tests can build archives
 * no honest writer would produce. Fields left out get the values an honest writer would use.
 */
export interface RawZipEntry {
  /** Name in the central directory (a string is UTF-8 encoded as is). */
  name: string | Buffer;
  /** Name in the local header, when it should differ from `name`. */
  localName?: string | Buffer;
  /** The entry's real content before compression. */
  data?: Buffer;
  /** 0 stored, 8 deflate; others are written as given with `data` stored raw. */
  method?: number;
  /** Bytes actually stored in the archive, instead of `data` compressed by `method`. */
  payload?: Buffer;
  /** Declared values, written to both headers, instead of the true ones. */
  crc?: number;
  compressedSize?: number;
  uncompressedSize?: number;
  /** General purpose bit flag (bit 0 encrypted, bit 6 strong encryption, bit 11 UTF-8). */
  flags?: number;
  /** Upper byte is the host system: 3 = Unix, which makes the upper 16 bits of `externalAttributes` a mode. */
  versionMadeBy?: number;
  externalAttributes?: number;
  /** Central-directory extra field (e.g. an Info-ZIP Unicode Path field). */
  extra?: Buffer;
  /** Point the central record at the local header of entry number `sharesLocalHeaderOf` instead of its own. */
  sharesLocalHeaderOf?: number;
}

export const UNIX_HOST = 3 << 8;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;
export const S_IFIFO = 0o010000;

/** External attributes carrying a Unix mode, as Info-ZIP writes them. */
export function unixAttributes(mode: number): number {
  return (mode * 0x10000) >>> 0;
}

/** An Info-ZIP Unicode Path extra field (0x7075) that renames `rawName` to `unicodeName` for readers that honour it. */
export function unicodePathExtra(rawName: Buffer, unicodeName: string): Buffer {
  const nameBytes = Buffer.from(unicodeName, 'utf8');
  const data = Buffer.alloc(5 + nameBytes.length);
  data.writeUInt8(1, 0);
  data.writeUInt32LE(crc32(rawName) >>> 0, 1);
  nameBytes.copy(data, 5);
  const header = Buffer.alloc(4);
  header.writeUInt16LE(0x7075, 0);
  header.writeUInt16LE(data.length, 2);
  return Buffer.concat([header, data]);
}

/** Builds a complete ZIP (local headers, data, central directory, end record) from raw entries. */
export function buildZip(entries: RawZipEntry[], opts: { declaredEntryCount?: number } = {}): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;

  const prepared = entries.map((e) => {
    const data = e.data ?? Buffer.alloc(0);
    const method = e.method ?? 0;
    const payload = e.payload ?? (method === 8 ? deflateRawSync(data) : data);
    return {
      e,
      name: toBytes(e.name),
      localName: toBytes(e.localName ?? e.name),
      method,
      payload,
      crc: e.crc ?? crc32(data) >>> 0,
      compressedSize: e.compressedSize ?? payload.length,
      uncompressedSize: e.uncompressedSize ?? data.length,
      flags: e.flags ?? 0,
    };
  });

  for (const p of prepared) {
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(p.flags, 6);
    local.writeUInt16LE(p.method, 8);
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // date: 1980-01-01
    local.writeUInt32LE(p.crc, 14);
    local.writeUInt32LE(p.compressedSize, 18);
    local.writeUInt32LE(p.uncompressedSize, 22);
    local.writeUInt16LE(p.localName.length, 26);
    local.writeUInt16LE(0, 28);
    offsets.push(offset);
    parts.push(local, p.localName, p.payload);
    offset += local.length + p.localName.length + p.payload.length;
  }

  const centralStart = offset;
  prepared.forEach((p, i) => {
    const extra = p.e.extra ?? Buffer.alloc(0);
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(p.e.versionMadeBy ?? (UNIX_HOST | 20), 4);
    record.writeUInt16LE(20, 6);
    record.writeUInt16LE(p.flags, 8);
    record.writeUInt16LE(p.method, 10);
    record.writeUInt16LE(0, 12);
    record.writeUInt16LE(0x21, 14);
    record.writeUInt32LE(p.crc, 16);
    record.writeUInt32LE(p.compressedSize, 20);
    record.writeUInt32LE(p.uncompressedSize, 24);
    record.writeUInt16LE(p.name.length, 28);
    record.writeUInt16LE(extra.length, 30);
    record.writeUInt16LE(0, 32); // comment length
    record.writeUInt16LE(0, 34); // disk
    record.writeUInt16LE(0, 36); // internal attributes
    record.writeUInt32LE(p.e.externalAttributes ?? unixAttributes(S_IFREG | 0o644), 38);
    record.writeUInt32LE(offsets[p.e.sharesLocalHeaderOf ?? i]!, 42);
    central.push(record, p.name, extra);
  });
  const centralBytes = Buffer.concat(central);

  const count = opts.declaredEntryCount ?? entries.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0, 4);
  end.writeUInt16LE(0, 6);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(centralBytes.length, 12);
  end.writeUInt32LE(centralStart, 16);
  end.writeUInt16LE(0, 20);

  return Buffer.concat([...parts, centralBytes, end]);
}

function toBytes(name: string | Buffer): Buffer {
  return Buffer.isBuffer(name) ? name : Buffer.from(name, 'utf8');
}
