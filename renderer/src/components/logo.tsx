/** The Custos mark: a shield with a check (the same drawing as favicon.svg). */
export function Logo({ size = 24 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <path fill="var(--accent)" d="M16 2 4 6.5v8.6c0 7.4 5 12.9 12 14.9 7-2 12-7.5 12-14.9V6.5L16 2Z" />
      <path fill="none" stroke="#fff" strokeWidth="2.6" strokeLinecap="round" strokeLinejoin="round" d="m10.5 16.2 3.8 3.8 7.4-8" />
    </svg>
  );
}
