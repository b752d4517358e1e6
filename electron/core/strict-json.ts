import { isWellFormed, MAX_JSON_DEPTH, pathText, toWellFormed } from './unicode.js';

// JSON read from a bundle is hostile. JSON.parse alone accepts too much: bytes that are not UTF-8
// (silently replaced by U+FFFD), escaped lone surrogates ("\ud800"), nesting deep enough to
// overflow every recursive reader after it, and duplicate keys (it keeps the last, while another
// reader may keep the first, so a signed manifest could mean two things).

export type StrictJson = { value: unknown } | { problem: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Parses JSON bytes from outside, refusing what JSON.parse lets through. A problem is a phrase
 * that follows the file's name ("manifest.json <problem>."); it never quotes ill-formed text.
 */
export function parseStrictJson(bytes: Buffer, maxDepth: number = MAX_JSON_DEPTH): StrictJson {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { problem: 'is not UTF-8 text (it holds byte sequences that are not valid UTF-8)' };
  }
  let value: unknown;
  try {
    // V8's JSON.parse is not recursive, so it survives any nesting; the scan below bounds it.
    value = JSON.parse(text);
  } catch (err) {
    return { problem: `is not valid JSON (${toWellFormed(err instanceof Error ? err.message : String(err))})` };
  }
  const problem = scanJsonText(text, maxDepth);
  return problem ? { problem } : { value };
}

type Frame = { object: true; keys: Set<string>; key: string | null; expectKey: boolean } | { object: false; index: number };

/**
 * Walks the text of a valid JSON document once, without recursion: nesting depth, duplicate keys
 * in any object, and every string and key well-formed once its escapes are decoded.
 */
export function scanJsonText(text: string, maxDepth: number): string | null {
  const frames: Frame[] = [];
  // Where the current value sits (`levels` frames deep): object keys and list indexes from the root.
  const where = (levels = frames.length): string => {
    const path = frames.slice(0, levels).map((f) => (f.object ? (f.key ?? '') : f.index));
    return path.length > 0 ? ` at ${pathText(path)}` : '';
  };
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const end = stringEnd(text, i);
      const raw = text.slice(i, end + 1);
      const value = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
      const top = frames.at(-1);
      const isKey = top !== undefined && top.object && top.expectKey;
      if (!isWellFormed(value)) {
        if (isKey) return `has a field name that is not well-formed Unicode (a lone surrogate) in the object${where(frames.length - 1)}`;
        return `holds text that is not well-formed Unicode (a lone surrogate)${where()}`;
      }
      if (isKey) {
        if (top.keys.has(value)) {
          return `has the field ${JSON.stringify(pathText([value]))} twice in one object${where(frames.length - 1)}, so readers could disagree on its value`;
        }
        top.keys.add(value);
        top.key = value;
        top.expectKey = false;
      }
      i = end + 1;
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      if (frames.length >= maxDepth) return `nests objects and lists more than ${maxDepth} levels deep${where()}`;
      frames.push(c === 0x7b ? { object: true, keys: new Set(), key: null, expectKey: true } : { object: false, index: 0 });
    } else if (c === 0x7d || c === 0x5d) {
      frames.pop();
    } else if (c === 0x2c) {
      const top = frames.at(-1);
      if (top?.object) top.expectKey = true;
      else if (top) top.index++;
    }
    i++;
  }
  return null;
}

/** Index of the quote that closes the string opening at `start` (the text is valid JSON). */
function stringEnd(text: string, start: number): number {
  let j = text.indexOf('"', start + 1);
  for (;;) {
    let backslashes = 0;
    while (text.charCodeAt(j - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return j;
    j = text.indexOf('"', j + 1);
  }
}
