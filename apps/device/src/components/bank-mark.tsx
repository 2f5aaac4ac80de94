// The Acme Bank mark (a classical bank front), drawn inline so nothing is fetched.
export function BankMark({ size = 28, title }: { size?: number; title?: string }) {
  return (
    <svg width={size} height={size} viewBox="0 0 64 64" role={title ? "img" : undefined} aria-label={title} aria-hidden={title ? undefined : true}>
      <rect width="64" height="64" rx="16" fill="#ffffff" fillOpacity="0.12" />
      <path d="M32 13 14 22v4h36v-4L32 13Zm-13 16v16h5V29h-5Zm10.5 0v16h5V29h-5ZM40 29v16h5V29h-5ZM14 48v4h36v-4H14Z" fill="#fff" />
    </svg>
  );
}
