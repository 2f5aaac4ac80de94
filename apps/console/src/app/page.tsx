import { Suspense } from "react";
import { OperatorScreen } from "@/components/operator/operator-screen";

export default function OperatorPage() {
  return (
    <>
      <h1 className="sr-only">Verify a caller</h1>
      <Suspense>
        <OperatorScreen />
      </Suspense>
    </>
  );
}
