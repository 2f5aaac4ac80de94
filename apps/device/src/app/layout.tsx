// The document shell: the bundled Inter font (from npm, nothing fetched at build or run time) and the
// global design tokens.
import "@fontsource-variable/inter";
import "./globals.css";
import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";

// The title is rendered by the app itself: it names the signed-in customer of each tab.
export const metadata: Metadata = {
  description: "A simulated banking app that receives OpenID Connect CIBA requests and lets the customer approve or deny them.",
  robots: { index: false, follow: false },
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  viewportFit: "cover",
  themeColor: "#0a1638",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en-GB">
      <body>{children}</body>
    </html>
  );
}
