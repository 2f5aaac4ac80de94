import "@fontsource-variable/inter";
import "@fontsource-variable/jetbrains-mono";
import "./globals.css";
import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AppHeader } from "@/components/app-header";
import { LiveProvider } from "@/components/live/live-context";
import { ProviderBanner } from "@/components/provider-banner";

export const metadata: Metadata = {
  title: { default: "Operator console · CIBA", template: "%s · Operator console" },
  description: "Verify callers with OpenID Connect CIBA and see every protocol message as it happens.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en-GB">
      <body className="min-h-screen font-sans">
        <LiveProvider>
          <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-3 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:shadow">
            Skip to content
          </a>
          <AppHeader />
          <ProviderBanner />
          <main id="main" className="mx-auto w-full max-w-[1400px] px-4 pb-16 pt-6 sm:px-6 lg:px-8">
            {children}
          </main>
        </LiveProvider>
      </body>
    </html>
  );
}
