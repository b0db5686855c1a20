/**
 * Tests only: distinctive fake values for every server-side secret (canaries.json, which
 * scripts/test.mjs also reads), set when the app is built and started for tests, so a search of
 * what the browser receives (client bundles, pages, API answers) can prove none of them leaks.
 * Never imported by app code.
 */
import values from "./canaries.json" with { type: "json" };

export const SECRET_CANARIES = {
  ...values,

  /** The values to search for. */
  values(): string[] {
    return Object.values(values);
  },

  /**
   * Environment for a server or a build: the secrets, and database URLs carrying passwords.
   * A server that must really open a database gets `sqlitePath` as DATABASE_URL instead.
   */
  env(sqlitePath?: string): Record<string, string> {
    return canaryEnv(sqlitePath);
  },
};

export function canaryEnv(sqlitePath?: string): Record<string, string> {
  return {
    SESSION_SECRET: values.SESSION_SECRET,
    AZURE_CLIENT_SECRET: values.AZURE_CLIENT_SECRET,
    AZURE_CLIENT_CERTIFICATE_PASSWORD: values.AZURE_CLIENT_CERTIFICATE_PASSWORD,
    DATABASE_URL: sqlitePath ?? `postgres://posture:${values.DATABASE_PASSWORD}@127.0.0.1:1/posture`,
    PGPASSWORD: values.DATABASE_PASSWORD,
    TEST_DATABASE_URL: `postgres://posture:${values.TEST_DATABASE_PASSWORD}@127.0.0.1:1/posture_test`,
  };
}
