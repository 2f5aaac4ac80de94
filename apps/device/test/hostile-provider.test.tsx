// Nothing the provider sends can crash the page: a stand-in provider (a plain socket.io server, since
// the real one never sends malformed events) pushes garbage, and the device ignores it and keeps working.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { DEVICE_NAMESPACE, type DeviceRequest } from "@ciba/protocol";
import { render, screen, within } from "@testing-library/react";
import { Server } from "socket.io";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Home } from "../src/components/home";
import { createDeviceApi } from "../src/lib/device-api";

let http: HttpServer;
let io: Server;
let url: string;

beforeAll(async () => {
  // The Device API part answers as the real one would for a user with nothing pending.
  http = createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json", "access-control-allow-origin": "*" });
    res.end(req.url === "/device/requests" || req.url === "/device/history" ? "[]" : "{}");
  });
  io = new Server(http, { cors: { origin: "*" } });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => void io.close(() => resolve())));

const valid: DeviceRequest = {
  id: "req-ok",
  client_name: "Acme Bank call centre",
  binding_message: "SAFE1",
  scope: "openid",
  acr_values: null,
  authorization_details: null,
  created_at: new Date().toISOString(),
  expires_at: new Date(Date.now() + 300_000).toISOString(),
};

describe("a device facing a misbehaving provider", () => {
  it("ignores malformed events and still shows the well-formed ones", async () => {
    const connected = new Promise<void>((resolve) => io.of(DEVICE_NAMESPACE).once("connection", () => resolve()));
    const session = { device_token: "token", user: { sub: "sub", name: "Alice Martin" } };
    const { container } = render(
      <Home api={createDeviceApi(url)} session={session} onSignOut={vi.fn()} onSessionExpired={vi.fn()} />,
    );
    const phone = within(container);
    await connected;
    await phone.findByText("No requests right now");

    const device = io.of(DEVICE_NAMESPACE);
    for (const garbage of [null, 42, "request", {}, { id: 7 }, { ...valid, expires_at: "tomorrow" }, { ...valid, authorization_details: [{}] }]) {
      device.emit("request:created", garbage);
    }
    device.emit("request:ended", { id: "req-ok", status: "exploded", suspected_fraud: "yes" });
    device.emit("request:created", valid);

    const card = await phone.findByRole("article", { name: /Code SAFE1/ });
    expect(phone.getAllByRole("article")).toHaveLength(1);
    expect(within(card).getByRole("button", { name: "Approve" })).toBeEnabled();

    device.emit("request:ended", { id: "req-ok", status: "cancelled", suspected_fraud: false, description: "cancelled by the client" });
    expect(await phone.findByRole("heading", { name: "Acme Bank call centre cancelled this request" })).toBeInTheDocument();
    expect(screen.queryByText("exploded")).toBeNull();
  });
});
