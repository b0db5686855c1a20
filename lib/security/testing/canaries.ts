/**
 * Tests only: distinctive fake values for every server-side secret, set when the app is built
 * and started for tests, so a search of what the browser receives (client bundles, pages, API
 * answers) can prove none of them leaks. Never imported by app code.
 */
export const SECRET_CANARIES = {
  SESSION_SECRET: "canary-SESSION_SECRET-7c1e9a4f2b8d4e6fa0c3b5d7e9f1a2b4",
  AZURE_CLIENT_SECRET: "canary-AZURE_CLIENT_SECRET-Q8f~2kL9xP",
  AZURE_CLIENT_CERTIFICATE_PASSWORD: "canary-AZURE_CLIENT_CERTIFICATE_PASSWORD-3h7",
  DATABASE_PASSWORD: "canary-DATABASE_PASSWORD-v9Rt2",
  TEST_DATABASE_PASSWORD: "canary-TEST_DATABASE_PASSWORD-u2Wq8",

  /** The values to search for. */
  values(): string[] {
    return [this.SESSION_SECRET, this.AZURE_CLIENT_SECRET, this.AZURE_CLIENT_CERTIFICATE_PASSWORD, this.DATABASE_PASSWORD, this.TEST_DATABASE_PASSWORD];
  },

  /**
   * Environment for a server (or a build): the secrets, and a database URL carrying a password.
   * A server that must really open a database gets `sqlitePath` as DATABASE_URL instead, and the
   * password rides on an unused setting it must not leak either.
   */
  env(sqlitePath?: string): Record<string, string> {
    return {
      SESSION_SECRET: this.SESSION_SECRET,
      AZURE_CLIENT_SECRET: this.AZURE_CLIENT_SECRET,
      AZURE_CLIENT_CERTIFICATE_PASSWORD: this.AZURE_CLIENT_CERTIFICATE_PASSWORD,
      DATABASE_URL: sqlitePath ?? `postgres://posture:${this.DATABASE_PASSWORD}@127.0.0.1:1/posture`,
      PGPASSWORD: this.DATABASE_PASSWORD,
      TEST_DATABASE_URL: `postgres://posture:${this.TEST_DATABASE_PASSWORD}@127.0.0.1:1/posture_test`,
    };
  },
};
