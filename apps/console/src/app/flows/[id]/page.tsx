import type { Metadata } from "next";
import { InspectorScreen } from "@/components/inspector/inspector-screen";

export const metadata: Metadata = { title: "Protocol inspector" };

export default async function InspectorPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <InspectorScreen id={id} />;
}
