"use client";
import { Headset } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { ProviderStatusPill } from "./provider-status-pill";

const nav = [
  { href: "/", label: "Verify caller", match: (p: string) => p === "/" },
  { href: "/history", label: "History", match: (p: string) => p.startsWith("/history") },
];

export function AppHeader() {
  const pathname = usePathname();
  return (
    <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/90 backdrop-blur">
      <div className="mx-auto flex h-14 w-full max-w-[1400px] items-center gap-6 px-4 sm:px-6 lg:px-8">
        <Link href="/" className="flex items-center gap-2.5 rounded-md">
          <span className="grid size-8 place-items-center rounded-lg bg-brand-600 text-white shadow-sm">
            <Headset aria-hidden className="size-4.5" />
          </span>
          <span className="leading-tight">
            <span className="block text-sm font-semibold text-slate-900">Acme Bank</span>
            <span className="block text-xs text-slate-500">Operator console</span>
          </span>
        </Link>
        <nav aria-label="Main" className="flex items-center gap-1">
          {nav.map((item) => {
            const current = item.match(pathname);
            return (
              <Link
                key={item.href}
                href={item.href}
                aria-current={current ? "page" : undefined}
                className={`rounded-md px-3 py-1.5 text-sm font-medium ${current ? "bg-slate-100 text-slate-900" : "text-slate-600 hover:bg-slate-50 hover:text-slate-900"}`}
              >
                {item.label}
              </Link>
            );
          })}
        </nav>
        <div className="ml-auto">
          <ProviderStatusPill />
        </div>
      </div>
    </header>
  );
}
