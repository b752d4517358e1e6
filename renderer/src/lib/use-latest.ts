import { useLayoutEffect, useRef } from 'react';

/**
 * A ref that always holds the latest `value`, for an effect that must run only when something else
 * changes yet act on what is current then (the effect reads `ref.current`; layout effects run first).
 */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}
