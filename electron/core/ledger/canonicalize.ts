import * as canonicalizeModule from 'canonicalize';

type Canonicalize = (input: unknown) => string | undefined;

/**
 * RFC 8785 serializer from the `canonicalize` package. The package is CommonJS with an ES-style
 * `export default` typing, so under NodeNext the function is the namespace's `default`.
 */
export const canonicalize: Canonicalize = ((canonicalizeModule as unknown as { default?: Canonicalize }).default ??
  (canonicalizeModule as unknown as Canonicalize));
