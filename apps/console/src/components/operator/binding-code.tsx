// The code the operator reads to the caller; the caller sees the same code on their device and only
// approves when they match (CIBA Core §7.1 binding_message).
export function BindingCode({ code }: { code: string }) {
  return (
    <section aria-labelledby="binding-heading" className="rounded-xl bg-brand-900 px-6 py-5 text-white shadow-inner">
      <h3 id="binding-heading" className="text-sm font-medium text-brand-100">
        Read this to the caller
      </h3>
      <p className="mt-2 flex items-center gap-4">
        <span aria-label={`Code ${code.split("").join(" ")}`} className="font-mono text-5xl font-bold tracking-[0.22em] sm:text-6xl">
          {code}
        </span>
      </p>
      <p className="mt-2 text-xs text-brand-100/80">The caller must see exactly this code on their banking app before approving.</p>
    </section>
  );
}
