// Runs before every test file: DOM matchers, patient async queries, and a clean document and tab storage
// after each test.
import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

// findBy* waits for the real provider (scrypt PIN checks, socket.io round trips) on a shared 2-core
// machine: give it room. This bounds a wait; it asserts nothing about speed.
configure({ asyncUtilTimeout: 10_000 });

afterEach(() => {
  cleanup();
  window.sessionStorage.clear();
  window.localStorage.clear();
});
