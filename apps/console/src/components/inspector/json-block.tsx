// A read-only block of JSON or HTTP text, monospaced, scrollable, labelled for screen readers.
export function CodeBlock({ label, children, className = "" }: { label: string; children: string; className?: string }) {
  return (
    <pre
      aria-label={label}
      tabIndex={0}
      className={`max-h-80 overflow-auto whitespace-pre-wrap break-all rounded-lg bg-slate-950 px-3.5 py-3 font-mono text-[12px] leading-relaxed text-slate-100 ${className}`}
    >
      {children}
    </pre>
  );
}

export const pretty = (value: unknown) => JSON.stringify(value, null, 2);
