/**
 * Tests only: the built dashboard started with sign-in on (AUTH_MODE=entra, AUTH_TEST_OIDC=1)
 * against a local identity provider, on its own port, database and emulator state, through
 * `npm start`'s script (so its start-up checks run too). Every server-side secret is set to a
 * distinctive fake value, so tests can prove none reaches the browser.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { startTestIdentityProvider, type TestIdentityProvider } from "./identity-provider";
import { SECRET_CANARIES } from "@/lib/security/testing/canaries";

export interface AuthAppServer {
  url: string;
  idp: TestIdentityProvider;
  /** Everything the server printed (for failure messages). */
  output(): string;
  close(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

export interface AuthAppServerOptions {
  dir?: string;
  port?: number;
  /** More environment for the server (limits, time-outs). */
  env?: Record<string, string>;
  /** The checkout whose build to start (default: this one). */
  cwd?: string;
}

export async function startAuthAppServer(opts: AuthAppServerOptions = {}): Promise<AuthAppServer> {
  const dir = resolve(opts.dir ?? "data/e2e-auth");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const idp = await startTestIdentityProvider({ appOrigin: url });
  const caFile = join(dir, "idp-ca.pem");
  writeFileSync(caFile, idp.ca);
  let out = "";
  const child: ChildProcess = spawn(
    process.execPath,
    ["scripts/start.mjs", "--no-build", "--no-first-scan", "--port", String(port), "--state-dir", join(dir, "emulator")],
    {
      stdio: ["ignore", "pipe", "pipe"],
      cwd: opts.cwd,
      env: {
        ...process.env,
        ...opts.env,
        ...SECRET_CANARIES.env(join(dir, "speech-posture.db")),
        AUTH_MODE: "entra",
        AUTH_TEST_OIDC: "1",
        ENTRA_TENANT_ID: idp.tenantId,
        ENTRA_CLIENT_ID: idp.clientId,
        ENTRA_AUTHORITY: idp.issuer,
        NODE_EXTRA_CA_CERTS: caFile,
        NEXT_TELEMETRY_DISABLED: "1",
      },
    },
  );
  child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (out += b.toString()));
  const close = async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
    await idp.close();
  };
  try {
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`the app server exited with ${child.exitCode}:\n${out}`);
      if (i > 600) throw new Error(`the app server did not start within 60 s:\n${out}`);
      try {
        const r = await fetch(`${url}/signin`, { redirect: "manual" });
        if (r.status === 200) break;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { url, idp, output: () => out, close };
}
