/** `s` with SQL LIKE's wildcards (% and _) and the escape character taken literally; use with ESCAPE '\'. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A LIKE pattern matching `text` anywhere, with its own % and _ taken literally; use with ESCAPE '\'. */
export function likePattern(text: string): string {
  return `%${escapeLike(text)}%`;
}
