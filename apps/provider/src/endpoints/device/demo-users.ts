// GET /device/demo-users (demo profile only): the seeded demo users a simulator may offer on its
// sign-in screen, as a name and an e-mail login hint. Never registered in production, where it is a 404.
import { demoUsers } from "@ciba/db";
import type { DemoUserEntry } from "@ciba/protocol";
import type { RequestHandler } from "express";
import type { ProviderDeps } from "../../deps";

export function demoUsersEndpoint(deps: ProviderDeps): RequestHandler {
  // Without seeding the demo users do not exist, so offering them would only produce failed sign-ins.
  const users: DemoUserEntry[] = deps.config.seedDemoData ? demoUsers.map((u) => ({ name: u.name, login_hint: u.email })) : [];
  return (_req, res) => {
    res.set("Cache-Control", "no-store");
    res.json(users);
  };
}
