// The simulator's only page. A server component: it reads the provider URL from the validated
// environment at request time and hands it to the client app as a prop, so the same build works
// against any provider (nothing is baked in with NEXT_PUBLIC_*).
import { connection } from "next/server";
import { DeviceApp } from "../components/device-app";
import { serverEnv } from "../env";

export default async function Page() {
  await connection();
  return <DeviceApp providerUrl={serverEnv().PROVIDER_URL} />;
}
