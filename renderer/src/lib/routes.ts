/**
 * Item ids in the route (`#/<area>/<id>`): percent-encoded, including the characters
 * encodeURIComponent leaves alone (`!'()*`), so any id — a requirement such as "hipaa §164.312(b)"
 * as much as "CASE-0042" — fits the route's alphabet and reads back exactly.
 */
export function routeSegment(id: string): string {
  return encodeURIComponent(id).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The id a route segment names, or null when the segment is not a well-formed encoding. */
export function routeId(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** The route that opens item `id` of `area`. */
export function itemRoute(area: string, id: string): string {
  return `${area}/${routeSegment(id)}`;
}
